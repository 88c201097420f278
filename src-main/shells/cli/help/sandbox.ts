import type { CommandHelp } from './format';

export const sandboxHelp: CommandHelp = {
  usage: [
    'sandbox [--port N] [--key KEY:TIER]... [--key-file PATH] [--data-dir DIR]',
    '        [--tls] [--tls-version 1.2|1.3] [--rtt TIME] [--rate BYTES/S]',
  ],
  about: [
    'Runs the local Device Management sandbox on 127.0.0.1 and prints its URL, API keys and admin',
    'token. Keys also come from FIRMDROP_SANDBOX_KEYS. Data folder 0700, accounts.json 0600.',
  ],
  options: [
    ['--port N', 'the port (default: a free one)'],
    ['--key KEY:TIER', 'an API key and its tier: free, commercial, partner (or 0, 1, 2)'],
    ['--key-file PATH', 'one KEY:TIER per line (# comments), so keys stay out of ps'],
    ['--tls', 'HTTPS with a fresh self-signed certificate; its PEM path on the second line'],
    ['--tls-version V', '1.2 or 1.3: pin the TLS version (the link model charges its handshake)'],
    ['--rtt TIME', 'a modelled round trip per request (100ms), handshakes, slow start'],
    ['--rate BYTES/S', 'a modelled link rate shared by all connections (40M)'],
    ['--data-dir DIR', 'where the sandbox keeps its images and jobs'],
  ],
  examples: [
    ['firmdrop sandbox --port 8443', 'a sandbox with a generated key on a fixed port'],
    [
      'firmdrop sandbox --tls --rtt 100ms --rate 40M',
      'a far-away HTTPS service (trust it with firmdrop --ca FILE)',
    ],
    ['firmdrop sandbox --key-file keys.txt', 'a sandbox with your own keys'],
  ],
};
