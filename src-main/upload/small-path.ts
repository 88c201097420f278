import { basename } from 'node:path';
import { FirmdropError } from '../core/errors';
import { MiB } from '../core/limits';
import { reconcileSmallPost } from '../core/reconcile-create';
import { isDmApiError } from '../dm/errors';
import type { FirmwareImage } from '../dm/schemas';
import { openChunkReader } from './chunk-reader';
import { nameTaken } from './job-path';
import type { RunContext } from './run-context';
import { verifyImage } from './verify';
import { noteDuplicates } from './duplicate-note';

const HASH_SLICE = 8 * MiB;

/**
 * A small file goes by one streamed multipart POST. Its SHA-256 is computed first (the file is
 * small) so a lost answer can be settled by finding the image by name and comparing checksums.
 */
export async function runSmallPath(ctx: RunContext): Promise<void> {
  if (ctx.upload.sha256 === null) {
    ctx.event('hash');
    ctx.patch({ sha256: await hashFile(ctx.upload.filePath, ctx.upload.fileSize) });
  }
  const image =
    (ctx.upload.createSentAt !== null ? await findPosted(ctx) : null) ?? (await post(ctx));
  ctx.event('verify');
  ctx.patch(verifyImage(ctx.upload, image));
  await noteDuplicates(ctx);
  ctx.event('succeed', { errorCode: null, errorMessage: null });
}

/** The earlier POST's answer was lost: did it create the image? */
async function findPosted(ctx: RunContext): Promise<FirmwareImage | null> {
  const u = ctx.upload;
  const found = await ctx.dm.listImages({ name__eq: u.name, limit: 10 }, { signal: ctx.signal });
  const decision = reconcileSmallPost({
    name: u.name,
    size: u.fileSize,
    sha256Hex: u.sha256 ?? '',
    found: found.data.map((i) => ({
      id: i.id,
      name: i.name,
      datafileSize: i.datafile_size,
      datafileChecksum: i.datafile_checksum,
    })),
  });
  if (decision.kind === 'adopt') return ctx.dm.getImage(decision.imageId, { signal: ctx.signal });
  if (decision.kind === 'conflict') throw await nameTaken(ctx, decision.reason);
  return null;
}

async function post(ctx: RunContext): Promise<FirmwareImage> {
  ctx.checkStopped();
  const u = ctx.upload;
  ctx.event('upload', { createSentAt: Date.now() });
  await ctx.gate.wait(ctx.signal);
  try {
    const image = await ctx.dm.createImageSmall({
      name: u.name,
      description: u.description,
      encrypt: u.encryption,
      file: { path: u.filePath, size: u.fileSize, fileName: basename(u.filePath) },
      signal: ctx.signal,
      onProgress: (sent) => ctx.reporter.sending(Math.min(sent, u.fileSize)),
    });
    ctx.reporter.acknowledged(u.fileSize, null);
    return image;
  } catch (err) {
    if (isDmApiError(err, 409)) throw await nameTaken(ctx);
    throw err;
  }
}

async function hashFile(path: string, size: number): Promise<string> {
  const reader = openChunkReader(path);
  try {
    for (let offset = 0; offset < size; offset += HASH_SLICE) {
      reader.recycle((await reader.read(offset, Math.min(HASH_SLICE, size - offset))).bytes);
    }
    return await reader.sha256();
  } catch (err) {
    throw new FirmdropError(
      'file-unreadable',
      `Reading ${basename(path)} failed: ${(err as Error).message}. Check the file and retry.`,
      { cause: err },
    );
  } finally {
    await reader.close();
  }
}
