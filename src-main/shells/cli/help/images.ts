import type { CommandHelp } from './format';

export const imagesHelp: CommandHelp = {
  usage: [
    'images [list] [--name N] [--limit N] [--account NAME]',
    'images show <ID|NAME> [--manifest-tool] [--account NAME[,NAME...]]',
    'images delete <ID> [--yes] [--account NAME]',
  ],
  about: [
    'The firmware images the account holds on the server, newest first. ID may be any unique start',
    'of an id (at least 4 characters); "show" also takes the exact image name.',
    '"delete" shows what it will delete and asks on a terminal; scripts pass --yes.',
  ],
  options: [
    ['--name N', 'only the image with exactly this name (the service has no substring filter)'],
    ['--limit N', 'at most N images (default: all); says on stderr when there are more'],
    [
      '--manifest-tool',
      "with show: the payload section for manifest-tool's config (YAML; --json: fields); with",
    ],
    ['', '--account a,b: the same image name on each account of a fan-out, labelled by account'],
    ['--yes, -y', 'delete without asking (needed when stdin is not a terminal)'],
    ['--account NAME', 'which account'],
  ],
  examples: [
    ['firmdrop images show fw-1.4.2', "one image's datafile URL, size and SHA-256, by name"],
    [
      'firmdrop images show fw-1.4.2 --manifest-tool >> my.config.yaml',
      'hand the verified image to manifest-tool',
    ],
    ['firmdrop images delete 9c1e --yes', 'delete an image from a script, by the start of its id'],
  ],
};
