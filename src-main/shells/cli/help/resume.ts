import type { CommandHelp } from './format';

export const resumeHelp: CommandHelp = {
  usage: ['resume [UPLOAD_ID] [--account NAME] [--name N] [--limit-rate RATE] [--file PATH]'],
  about: [
    'Finishes uploads that were interrupted (killed, Ctrl+C, lost network), paused or failed, from',
    'what the server already holds. Uploads another running Firmdrop works on are named and left to',
    'it. UPLOAD_ID may be any unique start of the id (at least 4 characters). Uploads started with',
    'FIRMDROP_API_URL/KEY resume only with the same variables set again; the others are counted.',
  ],
  options: [
    ['--account NAME', "only that account's uploads"],
    ['--name N', 'a new name for a failed upload whose name was taken (with UPLOAD_ID)'],
    [
      '--file PATH',
      'the file moved there: taken only if it is the same (size, MD5s of the chunks sent)',
    ],
    ['--limit-rate RATE', "cap the upload's bandwidth: 10M, 500K (bytes/s, 1024-based)"],
  ],
  examples: [
    ['firmdrop resume', 'finish everything left unfinished'],
    ['firmdrop resume 3f2a --file /mnt/builds/fw.bin', 'continue an upload whose file moved'],
    ['firmdrop resume 3f2a --name fw-1.4.2-b', 'retry a failed upload under a free name'],
  ],
};
