import { FirmdropError } from '../core/errors';
import type { ImageView } from './contract';

/**
 * The hand-off after a verified upload: the `payload:` section of an Arm/Izuma manifest-tool
 * configuration (`manifest-tool create --config my.config.yaml …`), for one image or for the same
 * file on several accounts.
 *
 * Field names and meanings checked against PelionIoT/manifest-tool (commit 04f3f156):
 * - `manifesttool/mtool/manifest-input-schema.json`: `payload` requires `url`, `format`,
 *   `file-path`; `format` is one of raw-binary, arm-patch-stream, combined, encrypted-raw,
 *   encrypted-combined; an encrypted format also requires `encrypted: { digest, size }` (digest
 *   64 hex characters, size an integer ≥ 1).
 * - `manifesttool/mtool/asn1/manifest_codec.py`: `url` is written into the manifest as it is and
 *   never fetched; `file-path` is always opened and hashed (SHA-256 and size) by the tool itself —
 *   for raw-binary that is the payload's fingerprint, for encrypted-raw it is the *installed*
 *   (plain) image's, while the downloaded payload's fingerprint is `encrypted.digest`/`size`.
 * - `README.md`: `url` is the image's `datafile`; `encrypted.digest`/`size` are the image's
 *   `encrypted_datafile_checksum`/`encrypted_datafile_size`.
 * So for a plain image the config carries no size or digest: we give them as a comment, to check
 * `file-path` against. The tool reads the config with PyYAML (YAML 1.1), hence every string is
 * double-quoted and escaped here (no `yes`/`0123`/`~` surprises).
 */

export type ManifestFormat = 'raw-binary' | 'encrypted-raw';

/** What the builder needs of an image: the contract's view has it, so has a verified upload. */
export type ManifestImage = Pick<
  ImageView,
  | 'id'
  | 'name'
  | 'datafileUrl'
  | 'datafileSize'
  | 'datafileChecksum'
  | 'encrypted'
  | 'encryptedSize'
  | 'encryptedChecksum'
>;

/** One image on one account; a fan-out of one file to several accounts is several targets. */
export interface ManifestTarget {
  account: { name: string; baseUrl: string };
  image: ManifestImage;
  /** The uploaded file on this computer, when the local journal knows it and it is unchanged. */
  filePath: string | null;
}

/** manifest-tool's own keys, as its config takes them (`--json` prints this). */
export interface ManifestPayload {
  url: string;
  format: ManifestFormat;
  'file-path'?: string;
  encrypted?: { digest: string; size: number };
}

const HEX64 = /^[0-9a-f]{64}$/;

function digestOf(raw: string | null): string | null {
  const d = raw?.trim().toLowerCase() ?? '';
  return HEX64.test(d) ? d : null;
}

/** manifest-tool's payload for one target; an image it could not describe is a clear error. */
export function manifestPayload(t: ManifestTarget): ManifestPayload {
  const { image } = t;
  const where = `image ${image.id} (${JSON.stringify(image.name)})`;
  if (image.datafileUrl.trim() === '') {
    throw new FirmdropError(
      'invalid-state',
      `The service reports no datafile URL for ${where}, so there is nothing for a manifest to point at. Upload the file again.`,
    );
  }
  const payload: ManifestPayload = {
    url: image.datafileUrl,
    format: image.encrypted ? 'encrypted-raw' : 'raw-binary',
  };
  if (t.filePath) payload['file-path'] = t.filePath;
  if (image.encrypted) {
    const digest = digestOf(image.encryptedChecksum);
    const size = image.encryptedSize;
    if (digest === null || size === null || !Number.isInteger(size) || size < 1) {
      throw new FirmdropError(
        'invalid-state',
        `The service reports no encrypted SHA-256 and size for ${where}, which manifest-tool needs for an encrypted image (encrypted-raw). Look the image up again in a moment, or in Device Management Portal.`,
      );
    }
    payload.encrypted = { digest, size };
  }
  return payload;
}

/** One YAML document per target (a `---` between them when several), each with its header. */
export function manifestYaml(targets: readonly ManifestTarget[]): string {
  if (targets.length === 0) {
    throw new FirmdropError('invalid-input', 'No image was given to describe for manifest-tool.');
  }
  const docs = targets.map(targetYaml);
  return docs.length === 1 ? (docs[0] as string) : docs.map((d) => `---\n${d}`).join('');
}

function targetYaml(t: ManifestTarget): string {
  const p = manifestPayload(t);
  const { image } = t;
  const plainSha = digestOf(image.datafileChecksum);
  const plain = `SHA-256 ${plainSha ?? '(not reported)'}, ${image.datafileSize ?? '?'} bytes`;
  const lines = [
    `# Firmdrop: image ${quote(image.name)} (${image.id}) on account ${quote(t.account.name)} (${quote(t.account.baseUrl)}).`,
  ];
  if (p.encrypted) {
    lines.push(
      '# Encrypted on the service: encrypted.digest and encrypted.size are of the encrypted datafile',
      '# the devices download. file-path is the plain image, which manifest-tool hashes:',
      `# ${plain}.`,
    );
  } else {
    lines.push(`# manifest-tool hashes file-path itself; the uploaded file has ${plain}.`);
  }
  lines.push('payload:', `  url: ${quote(p.url)}`, `  format: ${quote(p.format)}`);
  if (p['file-path'] !== undefined) lines.push(`  file-path: ${quote(p['file-path'])}`);
  else {
    lines.push(
      '  # file-path: required by manifest-tool, which hashes and signs it. Fill in the path of the',
      '  # uploaded file on this computer: Firmdrop does not know it (or the file changed since).',
    );
  }
  if (p.encrypted) {
    lines.push(
      '  encrypted:',
      `    digest: ${quote(p.encrypted.digest)}`,
      `    size: ${p.encrypted.size}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const NAMED_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
};

/**
 * A YAML double-quoted scalar that YAML 1.1 (PyYAML) and 1.2 (js-yaml) read back the same, and
 * that is safe inside a comment: printable characters as they are, everything else escaped — C0
 * and C1 controls, DEL, U+2028/U+2029 and NEL (line breaks to YAML 1.1), the BOM, lone surrogates.
 */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    const named = NAMED_ESCAPES[ch];
    if (named) out += named;
    else if (printable(cp)) out += ch;
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

function printable(cp: number): boolean {
  if (cp >= 0x20 && cp <= 0x7e) return true;
  if (cp === 0x2028 || cp === 0x2029 || cp === 0xfeff) return false;
  return (
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');
