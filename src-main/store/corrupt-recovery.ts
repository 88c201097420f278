import { existsSync, renameSync } from 'node:fs';

/** The companion files SQLite keeps beside a WAL-mode database. */
const COMPANIONS = ['-wal', '-shm'] as const;

function stamp(date: Date): string {
  // Colons are not allowed in Windows file names.
  return date.toISOString().replace(/[:.]/g, '-');
}

/**
 * Moves a damaged database and its -wal/-shm aside as `<file>.corrupt-<timestamp>[-wal|-shm]`,
 * keeping it for diagnosis (or rescue) instead of deleting it. Returns the new main-file path.
 */
export function moveAside(file: string, now: Date = new Date()): string {
  let target = `${file}.corrupt-${stamp(now)}`;
  for (let n = 2; existsSync(target); n++) target = `${file}.corrupt-${stamp(now)}-${n}`;
  renameSync(file, target);
  for (const suffix of COMPANIONS) {
    if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  }
  return target;
}
