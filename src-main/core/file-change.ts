/**
 * What a technician is told when the file changed under an upload: which file, what changed (it
 * grew, it shrank, or only its modification time moved) and when. Never two equal byte counts
 * side by side ("157286400 bytes when it started, 157286400 now") that make them hunt for the
 * difference. Pure: the caller formats the time of day (the engine's local time).
 */
import { formatBytes, formatCount } from './format';

export interface FileFacts {
  size: number;
  mtimeMs: number;
}

export function describeFileChange(
  fileName: string,
  before: FileFacts,
  now: FileFacts,
  timeOfDay: (ms: number) => string,
): string {
  const at = timeOfDay(now.mtimeMs);
  if (now.size !== before.size) {
    const [was, is] = sizes(before.size, now.size);
    const how = now.size > before.size ? 'grew' : 'shrank';
    return `${fileName} ${how} from ${was} to ${is} during the upload (modified at ${at}).`;
  }
  return `${fileName} was modified at ${at} during the upload (its size is unchanged).`;
}

/** The change found while a chunk's bytes were going out: they no longer match their MD5. */
export function describeBytesChanged(fileName: string, chunkIndex: number): string {
  return `${fileName} changed while chunk ${chunkIndex} was being sent: its bytes no longer match the MD5 computed moments before.`;
}

/** Rounded sizes unless rounding makes them look equal; then exact byte counts. */
function sizes(a: number, b: number): [string, string] {
  const [x, y] = [formatBytes(a), formatBytes(b)];
  return x === y ? [`${formatCount(a)} bytes`, `${formatCount(b)} bytes`] : [x, y];
}
