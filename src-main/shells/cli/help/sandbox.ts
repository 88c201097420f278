import type { CommandHelp } from './format';

export const sandboxHelp: CommandHelp = {
  usage: ['sandbox [--port N] [--key KEY:TIER]... [--key-file PATH] [--data-dir DIR]'],
  about: [
    'Runs the local Device Management sandbox on 127.0.0.1 and prints its URL, API keys and admin',
    'token. Keys also come from FIRMDROP_SANDBOX_KEYS. Data folder 0700, accounts.json 0600.',
  ],
  options: [
    ['--port N', 'the port (default: a free one)'],
    ['--key KEY:TIER', 'an API key and its tier: free, commercial, partner (or 0, 1, 2)'],
    ['--key-file PATH', 'one KEY:TIER per line (# comments), so keys stay out of ps'],
    ['--data-dir DIR', 'where the sandbox keeps its images and jobs'],
  ],
  examples: [
    ['firmdrop sandbox --port 8443', 'a sandbox with a generated key on a fixed port'],
    ['firmdrop sandbox --key-file keys.txt', 'a sandbox with your own keys'],
  ],
};
