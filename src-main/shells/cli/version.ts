// Set by the CLI build from package.json (vite.cli.config.mts `define`); absent when the sources
// run unbuilt (unit tests), hence the typeof guard.
declare const __FIRMDROP_VERSION__: string | undefined;

export const VERSION: string =
  typeof __FIRMDROP_VERSION__ === 'string' ? __FIRMDROP_VERSION__ : '0.0.0-dev';
