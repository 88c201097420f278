import type { CommandHelp } from './format';

export const uploadHelp: CommandHelp = {
  usage: [
    'upload <file>... [--name N] [--description D] [--encrypt] [--chunk-size MiB]',
    '         [--limit-rate RATE] [--account NAME[,NAME...] | --all-accounts] [--partial]',
    '         [--wait[=DURATION]]',
  ],
  about: [
    'Checks every file first (readable, not empty, name free, room in the account), then uploads',
    'them all and verifies size and SHA-256. Exit 0 only when every file is uploaded and verified;',
    'an interrupted upload is kept in the journal for "firmdrop resume".',
  ],
  options: [
    ['--name N', 'the image name (only with one file; default: the file name)'],
    ['--description D', "the image's description"],
    ['--encrypt', 'ask the service to store the image encrypted'],
    ['--chunk-size MiB', 'a fixed chunk size, 5 to 100; without it sizes adapt to the link'],
    ['--limit-rate RATE', "cap the upload's bandwidth: 10M, 500K (bytes/s, 1024-based)"],
    ['--account NAME', 'which account (else FIRMDROP_ACCOUNT, env key, the default, the only one)'],
    ['--account A,B', 'fan out: the same file(s) to each account, read and hashed once'],
    ['--all-accounts', "fan out to every stored account (not the desktop app's built-in sandbox)"],
    ['--partial', 'with a fan-out: start the accounts that pass pre-flight even if others refuse'],
    ['', '(without it nothing starts when one account refuses)'],
    ['--wait[=DURATION]', 'if the service cannot be reached, journal the upload and wait for it'],
    ['', '(at most DURATION: 90, 30s, 15m, 2h) instead of failing at once'],
    [
      '--json',
      'one JSON array, an object per file and account: file, name, upload_id, upload_job_id,',
    ],
    [
      '',
      'account, account_display, group_id, state, verified, size, sha256, encrypted, firmware_image_id,',
    ],
    ['', 'datafile, datafile_size, datafile_checksum, encrypted_datafile_size,'],
    ['', 'encrypted_datafile_checksum, error, error_code, suggestion'],
  ],
  examples: [
    ['firmdrop upload build/fw-1.4.2.bin --name fw-1.4.2', 'upload one file under a name'],
    ['firmdrop upload out/*.bin --account lab --json', 'upload several, a JSON report per file'],
    [
      'firmdrop upload fw-2.3.1.bin --account us-prod,eu-prod,jp-prod',
      'one build to three regions',
    ],
  ],
};
