import { sandboxCommand } from './sandbox';

/** A CLI command receives its own arguments and resolves to the process exit code. */
export type Command = (args: string[]) => Promise<number>;

export const commands: Record<string, Command> = {
  sandbox: sandboxCommand,
};
