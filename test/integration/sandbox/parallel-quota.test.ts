import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDmClient } from '../../../src-main/dm/client';
import { useSandbox } from '../../helpers/sandbox-fixture';

const KEY = 'ak_parallel_free_0123456789';
const sandbox = useSandbox({ accounts: [{ key: KEY, tier: '0' }] });
const dir = mkdtempSync(join(tmpdir(), 'firmdrop-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('quota under parallel uploads', () => {
  it('a free account takes ten images posted at once, and refuses the eleventh', async () => {
    const dm = createDmClient({ baseUrl: sandbox().url, apiKey: KEY });
    const post = (i: number) => {
      const path = join(dir, `p${i}.bin`);
      writeFileSync(path, Buffer.alloc(100 + i, i));
      return dm.createImageSmall({
        name: `p${i}`,
        description: '',
        encrypt: false,
        file: { path, size: 100 + i, fileName: `p${i}.bin` },
      });
    };
    try {
      const ten = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => post(i)));
      expect(ten.filter((r) => r.status === 'rejected')).toEqual([]);
      await expect(post(10)).rejects.toMatchObject({ status: 403 });
    } finally {
      await dm.close();
    }
  });
});
