import { describe, expect, it } from 'vitest';
import type { ChunkReader, OpenChunkReader } from '../../../src-main/upload/chunk-reader';
import { SharedFile } from '../../../src-main/upload/shared-file';

/** A scripted reader (a pure test of SharedFile's bookkeeping; the real worker is tested apart). */
function scripted() {
  const log: string[] = [];
  let opened = 0;
  let closed = 0;
  const open: OpenChunkReader = () => {
    opened += 1;
    const reader: ChunkReader = {
      hash: async (offset, length) => {
        log.push(`hash ${offset}+${length}`);
        return { offset, length, md5Hex: `md5-${offset}`, md5Base64: 'x' };
      },
      sha256: async (end) => {
        log.push(`sha ${end}`);
        return `sha-${end}`;
      },
      close: async () => {
        closed += 1;
      },
    };
    return reader;
  };
  return { open, log, counts: () => ({ opened, closed }) };
}

describe('SharedFile: one hash pass for a fan-out', () => {
  it('hashes each range and the digest once for all targets, and closes with the last one', async () => {
    const s = scripted();
    const file = new SharedFile('/fw.bin', s.open, 3);
    const readers = [1, 2, 3].map(() => file.openReader('/fw.bin', { sha256: true }));
    for (const r of readers) {
      expect(await r.hash(0, 10)).toMatchObject({ md5Hex: 'md5-0' });
      expect(await r.hash(10, 5)).toMatchObject({ md5Hex: 'md5-10' });
      expect(await r.sha256(15)).toBe('sha-15');
    }
    expect(s.log).toEqual(['hash 0+10', 'hash 10+5', 'sha 15']);
    await readers[0]!.close();
    await readers[0]!.close(); // twice counts once
    await readers[1]!.close();
    expect(s.counts()).toEqual({ opened: 1, closed: 0 });
    await readers[2]!.close();
    expect(s.counts()).toEqual({ opened: 1, closed: 1 });
    // A target that starts later still hashes nothing: the digests outlive the worker.
    const late = file.openReader('/fw.bin', { sha256: true });
    expect(await late.hash(10, 5)).toMatchObject({ md5Hex: 'md5-10' });
    expect(s.log).toHaveLength(3);
    await file.dispose();
  });

  it('the small path computes the SHA-256 once; a failure is not kept', async () => {
    const file = new SharedFile('/fw.bin', scripted().open, 2);
    let runs = 0;
    const failing = () => Promise.reject(new Error('unreadable'));
    await expect(file.wholeSha256(failing)).rejects.toThrow('unreadable');
    const compute = async () => `sha-${++runs}`;
    const answers = await Promise.all([file.wholeSha256(compute), file.wholeSha256(compute)]);
    expect(answers).toEqual(['sha-1', 'sha-1']);
    expect(await file.wholeSha256(compute)).toBe('sha-1');
    expect(runs).toBe(1);
  });
});
