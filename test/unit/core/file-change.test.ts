import { describe, expect, it } from 'vitest';
import { describeFileChange } from '../../../src-main/core/file-change';

const at = (ms: number) => new Date(ms).toISOString().slice(11, 19);
const T = Date.UTC(2026, 10, 30, 14, 2, 11);

describe('describeFileChange', () => {
  it('says the time of day when only the modification time moved, never two equal sizes', () => {
    const text = describeFileChange(
      'fw.bin',
      { size: 157286400, mtimeMs: T - 60_000 },
      { size: 157286400, mtimeMs: T },
      at,
    );
    expect(text).toBe('fw.bin was modified at 14:02:11 during the upload (its size is unchanged).');
    expect(text).not.toMatch(/157286400/);
  });

  it('says it grew or shrank, with sizes a person reads', () => {
    expect(
      describeFileChange(
        'fw.bin',
        { size: 150 * 2 ** 20, mtimeMs: 0 },
        { size: 160 * 2 ** 20, mtimeMs: T },
        at,
      ),
    ).toBe('fw.bin grew from 150.0 MiB to 160.0 MiB during the upload (modified at 14:02:11).');
    expect(
      describeFileChange(
        'fw.bin',
        { size: 150 * 2 ** 20, mtimeMs: 0 },
        { size: 10 * 2 ** 20, mtimeMs: T },
        at,
      ),
    ).toMatch(/^fw\.bin shrank from 150\.0 MiB to 10\.0 MiB/);
  });

  it('falls back to exact byte counts when rounding would make the sizes look equal', () => {
    expect(
      describeFileChange(
        'fw.bin',
        { size: 157286400, mtimeMs: 0 },
        { size: 157286401, mtimeMs: T },
        at,
      ),
    ).toMatch(/grew from 157,286,400 bytes to 157,286,401 bytes/);
  });
});
