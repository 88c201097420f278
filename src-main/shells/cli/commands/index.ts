import { accountsCommand } from './accounts';
import { imagesCommand } from './images';
import { jobsCommand } from './jobs';
import { resumeCommand } from './resume';
import { sandboxCommand } from './sandbox';
import { uploadCommand } from './upload';
import { uploadsCommand } from './uploads';
import { webCommand } from './web';

/** A CLI command receives its own arguments and resolves to the process exit code. */
export type Command = (args: string[]) => Promise<number>;

export const commands: Record<string, Command> = {
  upload: uploadCommand,
  resume: resumeCommand,
  uploads: uploadsCommand,
  images: imagesCommand,
  jobs: jobsCommand,
  accounts: accountsCommand,
  sandbox: sandboxCommand,
  web: webCommand,
};
