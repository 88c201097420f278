import { Ajv } from 'ajv';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  manifestPayload,
  manifestYaml,
  quote,
  type ManifestTarget,
} from '../../../src-main/app/manifest-payload';

const SHA = 'a'.repeat(64);
const ENC = '0123456789'.repeat(6) + '0123';

function target(over: Partial<ManifestTarget['image']> = {}, filePath: string | null = null) {
  return {
    account: { name: 'Production EU', baseUrl: 'https://api.eu-west-1.mbedcloud.com' },
    image: {
      id: '0172f0e2a6b00000000000000000000a',
      name: 'fw-1.2.bin',
      datafileUrl: 'https://firmware-catalog.example/0172f0e2a6b00000000000000000000a',
      datafileSize: 300,
      datafileChecksum: SHA,
      encrypted: false,
      encryptedSize: null,
      encryptedChecksum: null,
      ...over,
    },
    filePath,
  } satisfies ManifestTarget;
}

/**
 * manifest-tool's rules for `payload` as read in its manifest-input-schema.json (written out here
 * from that reading, not copied): the keys it requires once file-path is filled in, its formats,
 * and the encrypted block an encrypted format needs.
 */
const payloadRules = new Ajv().compile({
  type: 'object',
  required: ['payload'],
  properties: {
    payload: {
      type: 'object',
      required: ['url', 'format', 'file-path'],
      properties: {
        url: { type: 'string', minLength: 1 },
        'file-path': { type: 'string', minLength: 1 },
        format: { enum: ['raw-binary', 'encrypted-raw'] },
        encrypted: {
          type: 'object',
          required: ['digest', 'size'],
          properties: {
            digest: { type: 'string', pattern: '^[0-9a-f]{64}$' },
            size: { type: 'integer', minimum: 1 },
          },
        },
      },
      if: { properties: { format: { const: 'encrypted-raw' } } },
      then: { required: ['encrypted'] },
      else: { not: { required: ['encrypted'] } },
    },
  },
});

describe('manifest-tool payload', () => {
  it('gives a plain image as raw-binary: url and file-path, its size and SHA-256 as a comment', () => {
    const text = manifestYaml([target({}, '/home/tech/fw-1.2.bin')]);
    const parsed = yaml.load(text);
    expect(parsed).toEqual({
      payload: {
        url: 'https://firmware-catalog.example/0172f0e2a6b00000000000000000000a',
        format: 'raw-binary',
        'file-path': '/home/tech/fw-1.2.bin',
      },
    });
    expect(payloadRules(parsed)).toBe(true);
    expect(text).toMatch(
      /^# Firmdrop: image "fw-1\.2\.bin" \(0172f0e2a6b0+a\) on account "Production EU"/,
    );
    expect(text).toContain(`SHA-256 ${SHA}, 300 bytes`);
  });

  it('gives an encrypted image as encrypted-raw with the encrypted digest and size, and says so', () => {
    const t = target(
      { encrypted: true, encryptedSize: 316, encryptedChecksum: ENC.toUpperCase() },
      '/fw/plain.bin',
    );
    const text = manifestYaml([t]);
    const parsed = yaml.load(text);
    expect(parsed).toEqual({
      payload: {
        url: t.image.datafileUrl,
        format: 'encrypted-raw',
        'file-path': '/fw/plain.bin',
        encrypted: { digest: ENC, size: 316 },
      },
    });
    expect(payloadRules(parsed)).toBe(true);
    expect(text).toContain('# Encrypted on the service: encrypted.digest and encrypted.size');
    expect(text).toContain(
      `plain image, which manifest-tool hashes:\n# SHA-256 ${SHA}, 300 bytes.`,
    );
  });

  it('refuses an encrypted image the service gave no encrypted checksum for', () => {
    expect(() => manifestPayload(target({ encrypted: true, encryptedSize: 316 }))).toThrow(
      /no encrypted SHA-256 and size .*\(encrypted-raw\)/,
    );
  });

  it('leaves file-path to fill in, in a comment, when the local history does not know it', () => {
    const text = manifestYaml([target()]);
    const parsed = yaml.load(text) as { payload: Record<string, unknown> };
    expect(Object.keys(parsed.payload)).toEqual(['url', 'format']);
    expect(text).toContain('  # file-path: required by manifest-tool');
    expect(payloadRules(parsed), 'manifest-tool refuses it until filled in').toBe(false);
  });

  it('quotes values YAML would otherwise read as something else, and keeps names out of the YAML', () => {
    const awkward = [
      'yes',
      'on',
      '~',
      '0123',
      '1e3',
      '12:30',
      '- item',
      'a: b',
      '#not a comment',
      'say "hi" \\ back',
      'tab\there',
      'line\nbreak',
      'del\u007f c1\u0085 ls\u2028 bom\ufeff',
      'Prüfstand 東京 🚀',
      '\ud800 lone',
    ];
    for (const s of awkward) {
      expect(yaml.load(`v: ${quote(s)}`), s).toEqual({ v: s });
      expect(quote(s), s).not.toMatch(/[\n\r\u0085\u2028\u2029\u007f]/);
    }
    const evil = target({ name: 'fw\npayload:\n  url: "http://evil"' }, '/home/tech/my "fw"\n.bin');
    evil.account.name = 'Acme: "Labs" #1\nx: 1';
    const parsed = yaml.load(manifestYaml([evil])) as { payload: Record<string, unknown> };
    expect(parsed).toEqual({
      payload: { url: evil.image.datafileUrl, format: 'raw-binary', 'file-path': evil.filePath },
    });
  });

  it('fans one file out to several accounts: one document per account, each with its header', () => {
    const eu = target({}, '/fw/a.bin');
    const us = target({ id: 'b'.repeat(32), datafileUrl: 'https://us.example/b' }, '/fw/a.bin');
    us.account = { name: 'Production US', baseUrl: 'https://api.us-east-1.mbedcloud.com' };
    const text = manifestYaml([eu, us]);
    const docs = yaml.loadAll(text);
    expect(docs).toEqual([
      { payload: { url: eu.image.datafileUrl, format: 'raw-binary', 'file-path': '/fw/a.bin' } },
      { payload: { url: 'https://us.example/b', format: 'raw-binary', 'file-path': '/fw/a.bin' } },
    ]);
    const headers = text.split('\n').filter((l) => l.startsWith('# Firmdrop:'));
    expect(headers).toHaveLength(2);
    expect(headers[1]).toContain('on account "Production US"');
    expect(() => manifestYaml([])).toThrow(/No image/);
  });
});
