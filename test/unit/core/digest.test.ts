import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64ToHex, hexToBase64, md5HexFromServer } from '../../../src-main/core/digest';

const md5 = (text: string, enc: 'hex' | 'base64') => createHash('md5').update(text).digest(enc);

describe('hexToBase64 / base64ToHex', () => {
  it.each(['', 'a', 'firmware', 'x'.repeat(1000)])('agree with node:crypto for MD5(%j)', (text) => {
    expect(hexToBase64(md5(text, 'hex'))).toBe(md5(text, 'base64'));
    expect(base64ToHex(md5(text, 'base64'))).toBe(md5(text, 'hex'));
  });

  it.each([
    ['', ''],
    ['00ff', 'AP8='],
    ['ABCDEF', 'q83v'],
  ])('hex %j → base64 %j', (hex, b64) => {
    expect(hexToBase64(hex)).toBe(b64);
  });

  it.each(['abc', 'zz', '0g', ' 00'])('rejects malformed hex %j', (hex) => {
    expect(() => hexToBase64(hex)).toThrow(TypeError);
  });

  it.each(['AP8', 'AP8=x', 'A===', '!!!!', 'AP 8='])('reads malformed base64 %j as null', (b64) => {
    expect(base64ToHex(b64)).toBeNull();
  });
});

describe('md5HexFromServer', () => {
  it.each([
    [
      'hex as the guide shows',
      'd41d8cd98f00b204e9800998ecf8427e',
      'd41d8cd98f00b204e9800998ecf8427e',
    ],
    ['upper-case hex', 'D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e'],
    [
      'base64 as the OpenAPI example shows',
      '1B2M2Y8AsgTpgAmY7PhCfg==',
      'd41d8cd98f00b204e9800998ecf8427e',
    ],
    ['the OpenAPI example itself', '8FS70vXrq5y1VxAAssUMAg==', 'f054bbd2f5ebab9cb5571000b2c50c02'],
    ['padded with spaces', '  1B2M2Y8AsgTpgAmY7PhCfg== ', 'd41d8cd98f00b204e9800998ecf8427e'],
  ])('reads %s', (_label, hash, hex) => {
    expect(md5HexFromServer(hash)).toBe(hex);
  });

  it.each([
    '',
    'abc',
    'd41d8cd98f00b204e9800998ecf8427',
    'g41d8cd98f00b204e9800998ecf8427e',
    '1B2M2Y8AsgTpgAmY7PhCfg=!',
  ])('gives null for %j', (hash) => {
    expect(md5HexFromServer(hash)).toBeNull();
  });
});
