import { join, relative, isAbsolute } from 'node:path';
import { FirmdropError } from '../core/errors';
import type { Upload } from '../store';
import { inspectFile, sameIdentity } from '../upload/file-identity';
import type { FirmdropApi, ManifestPayloadQuery, ManifestPayloadView } from './contract';
import {
  manifestPayload,
  manifestYaml,
  type ManifestImage,
  type ManifestPayload,
  type ManifestTarget,
} from './manifest-payload';
import { STAGING_FOLDER } from './paths';
import type { Runtime } from './runtime';
import { attempt, type ServiceContext } from './service-context';
import { imageView } from './views';

/** Where a manifest's facts come from: the server's image, the journal's row and file. */
export class ManifestSources {
  constructor(private readonly rt: Runtime) {}

  /** The image as the account's server holds it now; file-path from the local history. */
  async forImage(accountId: string, imageId: string): Promise<ManifestTarget> {
    const image = await (await this.rt.accounts.clientFor(accountId)).getImage(imageId);
    return {
      account: this.label(accountId),
      image: imageView(image, false),
      filePath: await this.localFile(
        this.verifiedUploads(accountId).filter((u) => u.imageId === image.id),
      ),
    };
  }

  /** What a verified upload recorded of its image: no request, so it works offline too. */
  async forUpload(uploadId: string): Promise<ManifestTarget> {
    const u = this.rt.store.uploads.getUpload(uploadId);
    if (!u) throw new FirmdropError('not-found', 'That upload is no longer in the list.');
    if (!u.verified || !u.imageId || !u.datafileUrl) {
      throw new FirmdropError(
        'invalid-state',
        `"${u.name}" is not verified yet: a manifest needs the image the service holds. Wait until it shows "Verified ✓".`,
      );
    }
    const image: ManifestImage = {
      id: u.imageId,
      name: u.name,
      datafileUrl: u.datafileUrl,
      datafileSize: u.datafileSize,
      datafileChecksum: u.datafileChecksum,
      encrypted: u.encryption,
      encryptedSize: u.encryptedDatafileSize,
      encryptedChecksum: u.encryptedDatafileChecksum,
    };
    return { account: this.label(u.accountId), image, filePath: await this.localFile([u]) };
  }

  /**
   * Every verified target of a fan-out (one file to several accounts), labelled by account. The
   * targets not verified yet are left out; none verified is an error that says to wait.
   */
  async forGroup(groupId: string): Promise<ManifestTarget[]> {
    const members = this.rt.store.uploads.listGroup(groupId);
    if (members.length === 0) {
      throw new FirmdropError('not-found', 'That fan-out is no longer in the list.');
    }
    const verified = members.filter((u) => u.verified && u.imageId && u.datafileUrl);
    if (verified.length === 0) {
      throw new FirmdropError(
        'invalid-state',
        `No account of "${members[0]?.name ?? ''}" is verified yet: a manifest needs the images the service holds. Wait until one shows "Verified ✓".`,
      );
    }
    return Promise.all(verified.map((u) => this.forUpload(u.id)));
  }

  private label(accountId: string): ManifestTarget['account'] {
    const a = this.rt.accounts.get(accountId);
    return { name: a.name, baseUrl: a.baseUrl };
  }

  private verifiedUploads(accountId: string): Upload[] {
    return this.rt.store.uploads
      .listUploads({ accountId, limit: 1000 })
      .filter((u) => u.verified && u.imageId);
  }

  /**
   * The first of these uploads' files that is still the file that was verified (same size and
   * mtime). Not a spooled copy of the web shell: that is deleted once its upload is done, and the
   * browser never tells the original's path.
   */
  private async localFile(uploads: Upload[]): Promise<string | null> {
    const staging = join(this.rt.dataDir, STAGING_FOLDER);
    for (const u of uploads) {
      const rel = relative(staging, u.filePath);
      if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) continue;
      try {
        const now = await inspectFile(u.filePath);
        if (sameIdentity(now, { size: u.fileSize, mtimeMs: u.fileMtimeMs })) return u.filePath;
      } catch {
        // Moved, deleted or unreadable: the technician fills file-path in.
      }
    }
    return null;
  }
}

/** The YAML and what the UI says beside it. */
export function manifestView(targets: ManifestTarget[]): ManifestPayloadView {
  const payloads: ManifestPayload[] = targets.map(manifestPayload);
  return {
    yaml: manifestYaml(targets),
    format: payloads[0]?.format ?? 'raw-binary',
    encrypted: payloads.some((p) => p.encrypted !== undefined),
    filePathKnown: payloads.every((p) => p['file-path'] !== undefined),
  };
}

export async function manifestTargetsOf(
  sources: ManifestSources,
  q: ManifestPayloadQuery,
): Promise<ManifestTarget[]> {
  if ('groupId' in q) return sources.forGroup(q.groupId);
  return [
    'uploadId' in q
      ? await sources.forUpload(q.uploadId)
      : await sources.forImage(q.accountId, q.id),
  ];
}

export function manifestCommands(
  ctx: ServiceContext,
): Pick<FirmdropApi, 'images:manifest-payload'> {
  const sources = new ManifestSources(ctx.rt);
  return {
    'images:manifest-payload': (q) =>
      attempt(async () => manifestView(await manifestTargetsOf(sources, q))),
  };
}
