import { FirmdropError } from '../core/errors';
import { requireId } from '../core/ids';
import { MAX_REQUEST } from '../core/limits';
import type { ProgressFn } from './body';
import type { CallOptions, Caller } from './call';
import { badResponse } from './errors';
import { multipartBody, planMultipart, type MultipartFile } from './multipart';
import { toSearchParams, type ImageListQuery } from './query';
import {
  FirmwareImagePageSchema,
  FirmwareImageSchema,
  type FirmwareImage,
  type ListPage,
} from './schemas';

export interface CreateImageSmallParams {
  name: string;
  description: string;
  encrypt: boolean;
  file: MultipartFile;
  signal?: AbortSignal;
  /** Request body bytes handed to the socket so far, of the whole multipart body. */
  onProgress?: ProgressFn;
}

export interface ImagesApi {
  listImages(query?: ImageListQuery, opts?: CallOptions): Promise<ListPage<FirmwareImage>>;
  getImage(id: string, opts?: CallOptions): Promise<FirmwareImage>;
  deleteImage(id: string, opts?: CallOptions): Promise<void>;
  /** One multipart POST (< 100 MiB in all); not retried: on a network failure, reconcile by name. */
  createImageSmall(params: CreateImageSmallParams): Promise<FirmwareImage>;
  /** How many images the account holds now (include=total_count with the smallest page). */
  countImages(opts?: CallOptions): Promise<number>;
}

const LIST = '/v3/firmware-images/';
// Checked before the URL is built: ".." would otherwise address the parent collection.
const one = (id: string) =>
  `/v3/firmware-images/${encodeURIComponent(requireId('firmware image', id))}/`;

export function imagesApi(call: Caller): ImagesApi {
  const listImages: ImagesApi['listImages'] = (query, opts) =>
    call.json(
      {
        method: 'GET',
        path: LIST,
        query: toSearchParams(query),
        signal: opts?.signal,
        ctx: { operation: 'list firmware images' },
      },
      FirmwareImagePageSchema,
    );

  return {
    listImages,

    getImage: async (id, opts) =>
      call.json(
        {
          method: 'GET',
          path: one(id),
          signal: opts?.signal,
          ctx: { operation: 'read a firmware image', resource: `Firmware image ${id}` },
        },
        FirmwareImageSchema,
      ),

    deleteImage: async (id, opts) =>
      call.empty({
        method: 'DELETE',
        path: one(id),
        signal: opts?.signal,
        ctx: { operation: 'delete a firmware image', resource: `Firmware image ${id}` },
      }),

    async createImageSmall(p) {
      const plan = planMultipart(
        [
          ['name', p.name],
          ['description', p.description],
          ['datafile_encryption', p.encrypt ? 'true' : 'false'],
        ],
        p.file,
      );
      if (plan.length > MAX_REQUEST) {
        throw new FirmdropError(
          'too-large',
          `${p.file.fileName} is too large for a single upload request (at most 100 MiB): upload it as a resumable upload job.`,
        );
      }
      return call.json(
        {
          method: 'POST',
          path: LIST,
          headers: { 'content-type': plan.contentType },
          body: multipartBody(plan, p.file),
          signal: p.signal,
          onProgress: p.onProgress,
          ctx: { operation: 'upload the firmware image', name: p.name },
        },
        FirmwareImageSchema,
      );
    },

    async countImages(opts) {
      const page = await listImages({ include: 'total_count', limit: 2 }, opts);
      if (page.total_count === null) {
        throw badResponse(
          `GET ${LIST}`,
          call.host,
          'total_count is missing although include=total_count was asked',
        );
      }
      return page.total_count;
    },
  };
}
