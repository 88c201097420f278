import { accountsHelp } from './accounts';
import { formatHelp, type CommandHelp } from './format';
import { imagesHelp } from './images';
import { jobsHelp } from './jobs';
import { resumeHelp } from './resume';
import { sandboxHelp } from './sandbox';
import { uploadHelp } from './upload';
import { uploadsHelp } from './uploads';
import { webHelp } from './web';

export { SUMMARY } from './summary';

/** Each command's own help; a subcommand (`images show`) gets its group's. */
const HELP: Record<string, CommandHelp> = {
  upload: uploadHelp,
  resume: resumeHelp,
  uploads: uploadsHelp,
  images: imagesHelp,
  jobs: jobsHelp,
  accounts: accountsHelp,
  sandbox: sandboxHelp,
  web: webHelp,
};

/** The help text of `command`, or null when there is no such command. */
export function commandHelp(command: string): string | null {
  const h = Object.hasOwn(HELP, command) ? HELP[command] : undefined;
  return h ? formatHelp(h) : null;
}
