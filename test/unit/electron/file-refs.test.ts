import { describe, expect, it } from 'vitest';
import { attempt } from '../../../src-main/app/service-context';
import { isFirmdropError } from '../../../src-main/core/errors';
import { resolveDroppedFile } from '../../../src-main/shells/electron/file-refs';

const refusal = (ref: string): string => {
  try {
    resolveDroppedFile(ref);
  } catch (err) {
    if (isFirmdropError(err, 'file-unreadable')) return err.message;
    throw err;
  }
  throw new Error(`${ref} was accepted`);
};

describe('Electron file refs', () => {
  it('accepts absolute local paths, and nothing relative', () => {
    expect(resolveDroppedFile('/home/tech/fw.bin')).toBe('/home/tech/fw.bin');
    expect(resolveDroppedFile('C:\\builds\\fw.bin')).toBe('C:\\builds\\fw.bin');
    expect(resolveDroppedFile('D:/builds/fw.bin')).toBe('D:/builds/fw.bin');
    expect(resolveDroppedFile('fw.bin')).toBeNull();
    expect(resolveDroppedFile('C:fw.bin')).toBeNull();
    expect(resolveDroppedFile('/tmp/fw.bin\0.txt')).toBeNull();
  });

  it('refuses UNC paths with a message that says what to do', () => {
    expect(refusal('\\\\buildsrv\\releases\\fw-2.3.bin')).toBe(
      '"fw-2.3.bin" is on a network share (\\\\buildsrv\\releases). Firmdrop uploads only files ' +
        "on this computer's own disks: copy it to a local folder, then add it again.",
    );
    expect(refusal('//buildsrv/releases/fw.bin')).toMatch(/^"fw.bin" is on a network share/);
    expect(refusal('/\\buildsrv\\releases\\fw.bin')).toMatch(/network share/);
    expect(refusal('\\\\?\\UNC\\buildsrv\\releases\\fw.bin')).toMatch(/Windows device path/);
    expect(refusal('\\\\.\\PhysicalDrive0')).toMatch(/Windows device path/);
  });

  it('reaches the window as a contract error, as uploads:add reports it', async () => {
    expect(await attempt(() => resolveDroppedFile('//buildsrv/releases/fw.bin'))).toMatchObject({
      ok: false,
      error: {
        code: 'file-unreadable',
        message: expect.stringMatching(/copy it to a local folder/),
      },
    });
  });
});
