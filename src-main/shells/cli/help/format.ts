/**
 * One command's help: what `firmdrop <command> --help` prints. Each command keeps its own in a
 * file of this folder, so a new option or example is one more line next to its neighbours.
 */
export interface CommandHelp {
  /** The forms it is called in, without the leading "firmdrop " (" …": continues the form above). */
  usage: string[];
  /** What it does and what it promises, a few short lines. */
  about: string[];
  /** [flag and its value, what it does]. */
  options: Array<[string, string]>;
  /** [a command line a user would type, what it does]: real ones, they are tested. */
  examples: Array<[string, string]>;
}

const GLOBAL_NOTE =
  'Global options --json, --quiet (-q), --data-dir DIR, --ca FILE and --help (-h) work with every command.';

export function formatHelp(h: CommandHelp): string {
  // A form that starts with a space continues the one above it.
  const lines = h.usage.map((u, i) =>
    u.startsWith(' ') ? `       ${u}` : `${i === 0 ? 'Usage:' : '      '} firmdrop ${u}`,
  );
  lines.push('', ...h.about);
  if (h.options.length > 0) {
    const width = Math.max(...h.options.map(([flag]) => flag.length));
    lines.push('', 'Options:');
    for (const [flag, text] of h.options) lines.push(`  ${flag.padEnd(width)}  ${text}`);
  }
  lines.push('', 'Examples:');
  for (const [command, text] of h.examples) lines.push(`  # ${text}`, `  ${command}`);
  lines.push('', GLOBAL_NOTE, '');
  return lines.join('\n');
}
