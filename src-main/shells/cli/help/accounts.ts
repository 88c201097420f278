import type { CommandHelp } from './format';

export const accountsHelp: CommandHelp = {
  usage: [
    'accounts add <NAME> --region us|eu|jp|URL',
    'accounts list',
    'accounts use <NAME>',
    'accounts test [NAME]',
    'accounts remove <NAME>',
  ],
  about: [
    'API keys are kept in the OS keychain, never on disk. "add" reads the key from stdin when it',
    'is not a terminal, else asks for it without echo, and checks it against the region before',
    'keeping it. "test" proves a key works and shows display name, tier and images used/limit.',
    '"use" makes NAME the default account (the desktop app\'s default too); "list" marks it *.',
  ],
  options: [
    ['--region R', 'us, eu, jp, an https:// URL, or http://127.0.0.1:PORT for the local sandbox'],
  ],
  examples: [
    ['printf %s "$KEY" | firmdrop accounts add lab --region eu', 'add a key from a script'],
    ['firmdrop accounts use lab', 'send uploads to lab when no --account is given'],
    ['firmdrop accounts test lab', 'check that the key still works'],
  ],
};
