import { randomBytes } from 'node:crypto';

// Ids look like the service's: 32 hex digits that start with the creation time in milliseconds
// (the seed's "01658f9a5868…" is 2018-08-31). Keeping them time-ordered and strictly increasing
// lets lists sort and page by id (`after`) exactly as they sort by creation time.
let lastMs = 0;
let counter = randomBytes(4).readUInt32BE(0) >>> 1;

export function newId(): string {
  const ms = Math.max(Date.now(), lastMs);
  if (ms !== lastMs) lastMs = ms;
  counter = (counter + 1) >>> 0;
  return (
    ms.toString(16).padStart(12, '0') +
    counter.toString(16).padStart(8, '0') +
    randomBytes(6).toString('hex')
  );
}

export function isId(value: string): boolean {
  return /^[0-9a-f]{32}$/.test(value);
}

export function newSecret(prefix = ''): string {
  return prefix + randomBytes(20).toString('hex');
}

// Timestamps carry microseconds like the service's ("2018-08-31T10:49:41.736515Z") and never
// repeat, so etags derived from them change on every write.
let lastMicros = 0;

export function nowIso(): string {
  const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  lastMicros = micros > lastMicros ? micros : lastMicros + 1;
  return isoFromMicros(lastMicros);
}

export function isoFromMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const base = new Date(ms).toISOString().slice(0, 23);
  return `${base}${String(micros % 1000).padStart(3, '0')}Z`;
}
