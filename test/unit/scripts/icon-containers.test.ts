import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ICNS_TYPES, pngSize, writeIcns, writeIco } from '../../../scripts/icons/icon-containers';

/** A real (tiny, transparent) PNG of the given size; CRCs are not checked by the writers. */
function png(size: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const rows = Buffer.alloc(size * (1 + 4 * size));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Reads an ICO back the way Windows does: the directory, then each image at its offset. */
function readIco(ico: Buffer): { size: number; png: Buffer }[] {
  expect(ico.readUInt16LE(0)).toBe(0);
  expect(ico.readUInt16LE(2)).toBe(1);
  const count = ico.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const at = 6 + 16 * i;
    const size = ico.readUInt8(at) || 256;
    expect(ico.readUInt8(at + 1) || 256).toBe(size);
    expect(ico.readUInt16LE(at + 6)).toBe(32);
    const length = ico.readUInt32LE(at + 8);
    const offset = ico.readUInt32LE(at + 12);
    return { size, png: ico.subarray(offset, offset + length) };
  });
}

/** Reads an ICNS back: the header's length, then type, length and data until the end. */
function readIcns(icns: Buffer): { type: string; png: Buffer }[] {
  expect(icns.toString('latin1', 0, 4)).toBe('icns');
  expect(icns.readUInt32BE(4)).toBe(icns.length);
  const entries: { type: string; png: Buffer }[] = [];
  for (let at = 8; at < icns.length;) {
    const length = icns.readUInt32BE(at + 4);
    entries.push({
      type: icns.toString('latin1', at, at + 4),
      png: icns.subarray(at + 8, at + length),
    });
    at += length;
  }
  return entries;
}

describe('writeIco', () => {
  it('puts each PNG at the offset its directory entry names, smallest first, 256 written as 0', () => {
    const images = [256, 16, 48].map((size) => ({ size, png: png(size) }));
    const ico = writeIco(images);
    expect(ico.readUInt8(6 + 16 * 2)).toBe(0);
    const back = readIco(ico);
    expect(back.map((i) => i.size)).toEqual([16, 48, 256]);
    for (const image of back) expect(image.png.equals(png(image.size))).toBe(true);
  });

  it('refuses an image whose PNG is not the size it claims, or too big for ICO', () => {
    expect(() => writeIco([{ size: 32, png: png(16) }])).toThrow('The 32px image is 16×16 px.');
    expect(() => writeIco([{ size: 512, png: png(512) }])).toThrow('at most 256px');
    expect(() => writeIco([{ size: 16, png: Buffer.from('GIF89a') }])).toThrow('Not a PNG');
  });
});

describe('writeIcns', () => {
  it('writes every PNG type of each size, with lengths that walk the file exactly', () => {
    const sizes = [16, 32, 1024];
    const entries = readIcns(writeIcns(sizes.map((size) => ({ size, png: png(size) }))));
    expect(entries.map((e) => e.type)).toEqual(['icp4', 'icp5', 'ic11', 'ic10']);
    for (const entry of entries) expect(pngSize(entry.png).width).toBeGreaterThan(0);
    expect(pngSize(entries[3]?.png ?? Buffer.alloc(0)).width).toBe(1024);
  });

  it('refuses a size macOS has no type for', () => {
    expect(() => writeIcns([{ size: 48, png: png(48) }])).toThrow('ICNS has no type for 48px');
  });
});

describe('the committed icons (npm run icons)', () => {
  const resources = join(__dirname, '../../../resources');

  it('icon.ico holds 16 to 256 px, each the PNG of that size', () => {
    const back = readIco(readFileSync(join(resources, 'icon.ico')));
    expect(back.map((i) => i.size)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const image of back) {
      expect(pngSize(image.png)).toEqual({ width: image.size, height: image.size });
    }
  });

  it('icon.icns holds every type from 16 to 1024 px', () => {
    const entries = readIcns(readFileSync(join(resources, 'icon.icns')));
    const expected = Object.values(ICNS_TYPES).flat();
    expect(entries.map((e) => e.type).sort()).toEqual([...expected].sort());
  });
});
