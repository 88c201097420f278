import { describe, expect, it } from 'vitest';
import { DEFAULT_CHUNK, MiB } from '../../../src-main/core/limits';
import {
  assertValidUploadRequest,
  charCount,
  normalizeUploadRequest,
  uploadRequestErrors,
  type UploadRequestInput,
} from '../../../src-main/core/validation';
import { catchFirmdropError } from './catch-error';

const base: UploadRequestInput = { fileName: 'fw-1.2.bin' };
const a = (n: number) => 'a'.repeat(n);

describe('charCount', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['😀', 1], // two UTF-16 units, one character for the service
    ['é', 1],
    ['e\u0301', 2],
  ])('%j has %d characters', (text, n) => {
    expect(charCount(text)).toBe(n);
  });
});

describe('normalizeUploadRequest', () => {
  it('fills the defaults: name from the file, empty description, no encryption, 16 MiB chunks', () => {
    expect(normalizeUploadRequest(base)).toEqual({
      name: 'fw-1.2.bin',
      description: '',
      fileName: 'fw-1.2.bin',
      encrypted: false,
      chunkSize: DEFAULT_CHUNK,
    });
  });

  it.each([
    ['trims the name', '  fw 1.2  ', 'fw 1.2'],
    ['composes decomposed accents (macOS file names)', 'Firmware e\u0301te\u0301', 'Firmware été'],
    ['keeps inner spaces', 'a  b', 'a  b'],
  ])('%s', (_label, name, expected) => {
    expect(normalizeUploadRequest({ ...base, name }).name).toBe(expected);
  });

  it('keeps the description verbatim, surrounding whitespace included', () => {
    const description = '  line 1\nline 2\n';
    expect(normalizeUploadRequest({ ...base, description }).description).toBe(description);
  });
});

describe('uploadRequestErrors', () => {
  it.each<[string, Partial<UploadRequestInput>]>([
    ['the defaults', {}],
    ['a 128-character name', { name: a(128) }],
    ['a 128-emoji name (256 UTF-16 units)', { name: '😀'.repeat(128) }],
    ['128 decomposed accents, 128 after composition', { name: 'e\u0301'.repeat(128) }],
    ['a 2,000-character description with line breaks', { description: `${a(1000)}\n${a(999)}` }],
    ['a 166-character file name, with an explicit name', { fileName: a(166), name: 'fw' }],
    ['encryption on', { encrypted: true }],
    ['the smallest chunk', { chunkSize: 5 * MiB }],
    ['the largest chunk', { chunkSize: 100 * MiB }],
  ])('accepts %s', (_label, input) => {
    expect(uploadRequestErrors({ ...base, ...input })).toEqual([]);
  });

  it.each<[string, Partial<UploadRequestInput>, string, string]>([
    [
      'a 131-character name',
      { name: a(131) },
      'name',
      'Name is 131 characters; the service allows 128. Shorten it by 3.',
    ],
    [
      'a 129-emoji name',
      { name: '😀'.repeat(129) },
      'name',
      'Name is 129 characters; the service allows 128. Shorten it by 1.',
    ],
    [
      'an empty name',
      { name: '' },
      'name',
      'Name is empty. Enter a name for the image, or leave it out to use the file name.',
    ],
    [
      'a blank name',
      { name: ' \t ' },
      'name',
      'Name is empty. Enter a name for the image, or leave it out to use the file name.',
    ],
    [
      'a file name too long to be the image name',
      { fileName: a(131) },
      'name',
      'The file name, used as the image name, is 131 characters; the service allows 128. Enter a name of at most 128 characters.',
    ],
    [
      'a blank file name as the image name',
      { fileName: '   ' },
      'name',
      'The file name is blank, so it cannot be the image name. Enter a name for the image.',
    ],
    [
      'a line break in the name',
      { name: 'fw\n1.2' },
      'name',
      'Name contains a line break, tab or other control character. Remove it.',
    ],
    [
      'a tab in the name',
      { name: 'fw\t1.2' },
      'name',
      'Name contains a line break, tab or other control character. Remove it.',
    ],
    [
      'a C1 control in the name',
      { name: 'fw\u00851.2' },
      'name',
      'Name contains a line break, tab or other control character. Remove it.',
    ],
    [
      'a 2,005-character description',
      { description: a(2005) },
      'description',
      'Description is 2,005 characters; the service allows 2,000. Shorten it by 5.',
    ],
    [
      'no file',
      { fileName: '', name: 'fw' },
      'fileName',
      'No file is chosen. Choose the firmware file to upload.',
    ],
    [
      'a 170-character file name',
      { fileName: a(170), name: 'fw' },
      'fileName',
      'File name is 170 characters; the service allows 166. Rename the file 4 characters shorter and choose it again.',
    ],
    [
      'encryption that is not a boolean',
      { encrypted: 'yes' as unknown as boolean },
      'encrypted',
      'Encryption must be either on or off (true or false).',
    ],
    [
      'a 4 MiB chunk',
      { chunkSize: 4 * MiB },
      'chunkSize',
      'Chunk size is 4 MiB; the service needs chunks of 5 MiB to 100 MiB. Choose a size in that range.',
    ],
  ])('refuses %s', (_label, input, field, message) => {
    const errors = uploadRequestErrors({ ...base, ...input });
    expect(errors.map((e) => ({ field: e.field, message: e.message }))).toEqual([
      { field, message },
    ]);
  });

  it.each([
    [
      { name: '' },
      'Name is empty. Give a name with --name NAME, or leave --name out to use the file name.',
    ],
    [
      { fileName: a(131) },
      'The file name, used as the image name, is 131 characters; the service allows 128. Give a name of at most 128 characters with --name NAME.',
    ],
    [
      { fileName: '   ' },
      'The file name is blank, so it cannot be the image name. Give the image a name with --name NAME.',
    ],
    [
      { fileName: a(170), name: 'fw' },
      'File name is 170 characters; the service allows 166. Rename the file 4 characters shorter.',
    ],
  ])('words the next step for the command line: %j', (input, cli) => {
    const [error] = uploadRequestErrors({ ...base, ...input });
    expect(error?.cli).toBe(cli);
    expect(() => assertValidUploadRequest({ ...base, ...input })).toThrow(
      expect.objectContaining({ cliMessage: cli }),
    );
  });

  it('reports an empty file name once, not again as an empty image name', () => {
    expect(uploadRequestErrors({ fileName: '' }).map((e) => e.field)).toEqual(['fileName']);
  });

  it('lists every problem, in field order', () => {
    const errors = uploadRequestErrors({
      fileName: a(200),
      name: `${a(65)}\n${a(65)}`,
      description: a(2001),
      encrypted: 1 as unknown as boolean,
      chunkSize: 1,
    });
    expect(errors.map((e) => e.field)).toEqual([
      'name',
      'name',
      'description',
      'fileName',
      'encrypted',
      'chunkSize',
    ]);
  });
});

describe('assertValidUploadRequest', () => {
  it('returns the normalised request when valid', () => {
    expect(assertValidUploadRequest({ ...base, name: ' fw ', encrypted: true })).toMatchObject({
      name: 'fw',
      encrypted: true,
    });
  });

  it('throws invalid-input listing every problem', () => {
    const err = catchFirmdropError(() =>
      assertValidUploadRequest({ ...base, name: a(130), description: a(2001) }),
    );
    expect(err.code).toBe('invalid-input');
    expect(err.message).toBe(
      'Name is 130 characters; the service allows 128. Shorten it by 2. Description is 2,001 characters; the service allows 2,000. Shorten it by 1.',
    );
  });
});
