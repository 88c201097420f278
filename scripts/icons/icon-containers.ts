/**
 * The two icon containers electron-builder wants beside the PNGs, written by hand: both are a
 * small directory in front of PNG images, which every Windows since Vista and every macOS since
 * 10.7 read as they are.
 *   ICO  (Windows): ICONDIR, one 16-byte ICONDIRENTRY per image, then the PNGs (little-endian).
 *   ICNS (macOS):   "icns" + total length, then per image a 4-letter type + length + PNG (big-endian).
 */

export interface IconImage {
  /** Width and height in pixels (icons are square). */
  size: number;
  png: Buffer;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk, which always comes first after the signature. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new Error('Not a PNG image: the signature is missing.');
  }
  if (png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('Not a PNG image: IHDR is not its first chunk.');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function checked(image: IconImage): IconImage {
  const { width, height } = pngSize(image.png);
  if (width !== image.size || height !== image.size) {
    throw new Error(`The ${image.size}px image is ${width}×${height} px.`);
  }
  return image;
}

// ICO keeps one byte per dimension, 0 meaning 256; larger images do not fit the format.
const ICO_MAX = 256;

export function writeIco(images: readonly IconImage[]): Buffer {
  if (images.length === 0) throw new Error('An ICO needs at least one image.');
  const sorted = images.map(checked).sort((a, b) => a.size - b.size);
  const big = sorted.find((i) => i.size > ICO_MAX);
  if (big) throw new Error(`ICO images are at most ${ICO_MAX}px; got ${big.size}px.`);
  const header = Buffer.alloc(6 + 16 * sorted.length);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon (2 would be a cursor)
  header.writeUInt16LE(sorted.length, 4);
  let offset = header.length;
  sorted.forEach((image, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(image.size % ICO_MAX, at); // width (0 = 256)
    header.writeUInt8(image.size % ICO_MAX, at + 1); // height
    header.writeUInt8(0, at + 2); // no palette
    header.writeUInt8(0, at + 3); // reserved
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(image.png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += image.png.length;
  });
  return Buffer.concat([header, ...sorted.map((i) => i.png)]);
}

/**
 * ICNS types that hold PNG data, by pixel size. Several sizes have two types (the Retina "@2x"
 * of half the size); both are written so Finder and the Dock find what they ask for.
 */
export const ICNS_TYPES: Readonly<Record<number, readonly string[]>> = {
  16: ['icp4'],
  32: ['icp5', 'ic11'],
  64: ['icp6', 'ic12'],
  128: ['ic07'],
  256: ['ic08', 'ic13'],
  512: ['ic09', 'ic14'],
  1024: ['ic10'],
};

export function writeIcns(images: readonly IconImage[]): Buffer {
  const entries: Buffer[] = [];
  for (const image of [...images].map(checked).sort((a, b) => a.size - b.size)) {
    const types = ICNS_TYPES[image.size];
    if (!types) {
      throw new Error(
        `ICNS has no type for ${image.size}px; use ${Object.keys(ICNS_TYPES).join(', ')}.`,
      );
    }
    for (const type of types) {
      const head = Buffer.alloc(8);
      head.write(type, 0, 'latin1');
      head.writeUInt32BE(8 + image.png.length, 4);
      entries.push(head, image.png);
    }
  }
  if (entries.length === 0) throw new Error('An ICNS needs at least one image.');
  const body = Buffer.concat(entries);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + body.length, 4);
  return Buffer.concat([head, body]);
}
