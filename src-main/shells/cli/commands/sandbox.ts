import { CliUsageError } from '../usage';

export async function sandboxCommand(_args: string[]): Promise<number> {
  throw new CliUsageError('the sandbox is not built yet');
}
