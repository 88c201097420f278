import type { CommandHelp } from './format';

export const webHelp: CommandHelp = {
  usage: ['web [--port N] [--data-dir DIR]'],
  about: [
    "The desktop app's UI in a browser, served on 127.0.0.1, for machines without a display.",
    'Prints the URL to open (with a per-run token).',
  ],
  options: [['--port N', 'the port (default: a free one)']],
  examples: [['firmdrop web --port 8080', 'serve the UI, then open the printed URL']],
};
