import type { UploadView } from '../../../src-main/app/contract';

const MiB = 1024 * 1024;

export function uploadView(partial: Partial<UploadView> & { id: string }): UploadView {
  return {
    revision: 1,
    accountId: 'acc-1',
    groupId: null,
    fileName: `${partial.id}.bin`,
    filePath: `/fw/${partial.id}.bin`,
    name: partial.id,
    description: '',
    encrypt: false,
    phase: 'queued',
    path: 'job',
    chunkSize: 16 * MiB,
    bytesAcked: 0,
    bytesSent: partial.bytesAcked ?? 0,
    totalBytes: 100 * MiB,
    speed: null,
    etaSeconds: null,
    chunk: null,
    jobId: null,
    imageId: null,
    datafileUrl: null,
    datafileSize: null,
    datafileChecksum: null,
    encryptedDatafileSize: null,
    encryptedDatafileChecksum: null,
    sha256: null,
    verified: false,
    error: null,
    retryAt: null,
    workedElsewhere: null,
    createdAt: '2026-11-28T09:00:00.000Z',
    finishedAt: null,
    inQueue: true,
    cancelAt: null,
    ...partial,
  };
}

/** A job's chunk position as the app service reports it (the chunk after `acked` on the wire). */
export function sampleChunk(acked: number, total: number): NonNullable<UploadView['chunk']> {
  const sending = acked < total ? acked + 1 : null;
  return {
    current: acked,
    total,
    estimated: false,
    sending,
    label: `chunk ${sending ?? acked} of ${total}`,
  };
}
