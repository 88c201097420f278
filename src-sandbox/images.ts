import { rename } from 'node:fs/promises';
import { notFound } from './api-error';
import type { ApiCtx, Reply, SandboxState } from './context';
import { json } from './context';
import { digestFile } from './digest';
import { newId, nowIso } from './ids';
import type { FilterFields } from './lists';
import { listPage, parseListQuery } from './lists';
import type { AccountRecord, ImageRecord } from './records';

export const IMAGE_FILTERS: FilterFields = {
  created_at: 'date',
  datafile: 'string',
  datafile_checksum: 'string',
  datafile_size: 'number',
  description: 'string',
  etag: 'date',
  id: 'string',
  name: 'string',
  updated_at: 'date',
};

export function downloadPath(image: ImageRecord): string {
  return `/downloads/${image.id}/${encodeURIComponent(image.datafile_name)}`;
}

/** The FirmwareImage model, plus the encryption fields the live service adds. */
export function renderImage(image: ImageRecord, baseUrl: string) {
  return {
    object: 'firmware-image',
    id: image.id,
    name: image.name,
    description: image.description,
    created_at: image.created_at,
    updated_at: image.updated_at,
    etag: image.etag,
    datafile: `${baseUrl}${downloadPath(image)}`,
    short_datafile: downloadPath(image),
    datafile_size: image.datafile_size,
    datafile_checksum: image.datafile_checksum,
    datafile_encryption: image.datafile_encryption,
    ...(image.datafile_encryption
      ? {
          encrypted_datafile_size: image.encrypted_datafile_size,
          encrypted_datafile_checksum: image.encrypted_datafile_checksum,
        }
      : {}),
  };
}

export function imageLocation(state: SandboxState, id: string): string {
  return `${state.url}/v3/firmware-images/${id}/`;
}

export async function listImages(ctx: ApiCtx): Promise<Reply> {
  const q = parseListQuery(ctx.query, IMAGE_FILTERS);
  const items = ctx.state.store
    .accountImages(ctx.account.id)
    .map((i) => renderImage(i, ctx.state.url));
  return json(200, listPage(items, q, IMAGE_FILTERS));
}

function ownImage(ctx: ApiCtx): ImageRecord {
  const id = ctx.params[0] ?? '';
  const image = ctx.state.store.images.get(id);
  if (!image || image.account_id !== ctx.account.id) throw notFound('Firmware image', id);
  return image;
}

export async function getImage(ctx: ApiCtx): Promise<Reply> {
  return json(200, renderImage(ownImage(ctx), ctx.state.url));
}

export async function deleteImage(ctx: ApiCtx): Promise<Reply> {
  await ctx.state.store.removeImage(ownImage(ctx).id);
  return { status: 204 };
}

export interface NewImage {
  name: string;
  description: string;
  encryption: boolean;
  filename: string;
  /** A file the image takes over (it is moved, not copied). */
  sourcePath: string;
}

/**
 * Digests the data, moves it into place and records the image. The caller has already checked
 * the name and quota and holds a reservation for them, so nothing can fail here but the disk.
 */
export async function commitImage(
  state: SandboxState,
  account: AccountRecord,
  input: NewImage,
  release?: () => void,
): Promise<ImageRecord> {
  const id = newId();
  const digest = await digestFile(input.sourcePath, input.encryption ? id : null);
  await rename(input.sourcePath, state.store.imageDataPath(id));
  const now = nowIso();
  const image: ImageRecord = {
    id,
    account_id: account.id,
    name: input.name,
    description: input.description,
    created_at: now,
    updated_at: now,
    etag: now,
    datafile_name: safeFileName(input.filename),
    datafile_size: digest.size,
    datafile_checksum: digest.sha256,
    datafile_encryption: input.encryption,
    encrypted_datafile_size: digest.encrypted?.size ?? null,
    encrypted_datafile_checksum: digest.encrypted?.sha256 ?? null,
  };
  const persisted = state.store.putImage(image);
  // The image counts itself from here on: its reservation must not count it a second time
  // while it is written to disk (parallel uploads saw a full account a slot too early).
  release?.();
  await persisted;
  state.stats.imagesCreated++;
  return image;
}

function safeFileName(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 100);
  return safe || 'firmware.bin';
}
