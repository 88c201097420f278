import { FirmdropError } from '../../../src-main/core/errors';
import { MiB } from '../../../src-main/core/limits';
import type { Upload } from '../../../src-main/store';
import type { UploadView } from '../../../src-main/app/contract';
import { uploadView } from '../../../src-main/app/views';
import type { UploadSnapshot } from '../../../src-main/upload/types';

export function uploadRow(overrides: Partial<Upload> = {}): Upload {
  return {
    id: '3f2a6c1e-0000-4000-8000-000000000001',
    accountId: 'acc-1',
    filePath: '/fw/fw.bin',
    fileSize: 12 * MiB,
    fileMtimeMs: 1,
    sha256: null,
    name: 'fw.bin',
    description: '',
    encryption: false,
    chunkSize: 5 * MiB,
    path: 'job',
    jobId: null,
    state: 'queued',
    bytesAcked: 0,
    imageId: null,
    datafileUrl: null,
    datafileChecksum: null,
    datafileSize: null,
    encryptedDatafileChecksum: null,
    encryptedDatafileSize: null,
    verified: false,
    errorCode: null,
    errorMessage: null,
    attempts: 0,
    createdAt: 0,
    updatedAt: 0,
    finishedAt: null,
    createSentAt: null,
    completeSentAt: null,
    preflightPending: false,
    hiddenFromQueue: false,
    cancelAt: null,
    groupId: null,
    ...overrides,
  };
}

/** What the CLI renders: the contract's view of an engine snapshot. */
export function snapshot(
  upload: Partial<Upload> = {},
  rest: Partial<Omit<UploadSnapshot, 'upload'>> = {},
): UploadView {
  const u = uploadRow(upload);
  return uploadView({
    upload: u,
    phase: u.state,
    bytesAcked: u.bytesAcked,
    bytesSent: u.bytesAcked,
    totalBytes: u.fileSize,
    speed: null,
    etaSeconds: null,
    chunk: null,
    problem: null,
    retryAt: null,
    ...rest,
  });
}

export const problem = (message: string, suggestion?: string) =>
  new FirmdropError('name-taken', message, { suggestion });
