import type { CommandHelp } from './format';

export const jobsHelp: CommandHelp = {
  usage: [
    'jobs [list] [--limit N] [--account NAME]',
    'jobs show <ID> | jobs chunks <ID> [--limit N]',
    'jobs delete <ID> [--yes] [--account NAME]',
  ],
  about: [
    "The account's upload jobs on the server, newest first, and the chunks each holds (id, length,",
    'MD5). ID may be any unique start of an id (at least 4 characters). "delete" shows what it will',
    'delete and asks on a terminal; scripts pass --yes. A job of an unfinished upload is refused:',
    'run "firmdrop uploads cancel" for that upload instead.',
  ],
  options: [
    ['--limit N', 'at most N jobs or chunks (default: all); says on stderr when there are more'],
    ['--yes, -y', 'delete without asking (needed when stdin is not a terminal)'],
    ['--account NAME', 'which account'],
  ],
  examples: [
    ['firmdrop jobs list --limit 5', 'the five newest upload jobs'],
    ['firmdrop jobs chunks 7d0b', 'the chunks the server holds for one job'],
    ['firmdrop jobs delete 7d0b -y', 'delete a stale job without being asked'],
  ],
};
