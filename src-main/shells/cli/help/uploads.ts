import type { CommandHelp } from './format';

export const uploadsHelp: CommandHelp = {
  usage: [
    'uploads [list] [--state S] [--account NAME] [--limit N]',
    'uploads --export csv|json [--output FILE] [--state S] [--account NAME]',
    'uploads cancel <UPLOAD_ID>',
  ],
  about: [
    'The local journal, newest first: id, state, name, size, account, verified, created, error.',
    '"uploads cancel" stops an unfinished upload for good and deletes its upload job on the server.',
    'UPLOAD_ID may be any unique start of the id (at least 4 characters).',
  ],
  options: [
    [
      '--state S',
      'only uploads in these states (repeat it, or S1,S2): done, failed, interrupted, …',
    ],
    ['--account NAME', "only that account's uploads"],
    ['--export csv|json', 'the upload history as the app exports it (stdout unless --output)'],
    ['--output FILE', 'with --export: write it to FILE'],
    ['--limit N', 'at most N rows (default 50); says on stderr when there are more'],
  ],
  examples: [
    ['firmdrop uploads --state failed,interrupted', 'what is left to finish'],
    ['firmdrop uploads --export csv --output uploads.csv', 'the audit trail for a spreadsheet'],
    ['firmdrop uploads cancel 3f2a', 'give one up, named by the start of its id'],
  ],
};
