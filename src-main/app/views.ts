import { basename } from 'node:path';
import { chunkLabel } from '../core/progress';
import type { ErrorCode } from '../core/errors';
import { isTerminal } from '../core/upload-state';
import type { FirmwareImage, UploadJob } from '../dm/schemas';
import { REGIONS } from '../dm/regions';
import type { Account, Upload } from '../store';
import type { UploadSnapshot } from '../upload/types';
import type {
  AccountView,
  ContractError,
  ImageView,
  JobView,
  UploadGroupSummary,
  UploadPhase,
  UploadView,
} from './contract';

/** Store and service shapes → the contract's views. Nothing here may carry a key. */
export function accountView(a: Account, hasKey: boolean, isDefault: boolean): AccountView {
  const preset = REGIONS.find((r) => r.id === a.region)?.preset;
  return {
    id: a.id,
    name: a.name,
    baseUrl: a.baseUrl,
    region: a.isSandbox ? 'sandbox' : (preset ?? 'custom'),
    isSandbox: a.isSandbox,
    displayName: a.displayName,
    dmAccountId: a.dmAccountId,
    tier: a.tier,
    hasKey,
    isDefault,
  };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function uploadError(u: Upload, problem: UploadSnapshot['problem']): ContractError | null {
  if (problem) {
    return {
      code: problem.code,
      message: problem.message,
      ...(problem.suggestion ? { suggestion: problem.suggestion } : {}),
    };
  }
  if (u.errorCode && u.errorMessage)
    return { code: u.errorCode as ErrorCode, message: u.errorMessage };
  return null;
}

/**
 * The last revision given to an upload view. It starts from the clock in microseconds rather
 * than 0, so no view of a later process can number below one of an earlier process; after that
 * it only counts up.
 */
let lastRevision = Date.now() * 1000;

/** `workedElsewhere`: the live process that owns the upload, when it is not this one. */
export function uploadView(s: UploadSnapshot, workedElsewhere: string | null = null): UploadView {
  const u = s.upload;
  return {
    id: u.id,
    // Made from a snapshot taken just now: a higher revision is always the later state.
    revision: ++lastRevision,
    accountId: u.accountId,
    groupId: u.groupId,
    fileName: basename(u.filePath),
    filePath: u.filePath,
    name: u.name,
    description: u.description,
    encrypt: u.encryption,
    phase: s.phase as UploadPhase,
    path: u.path,
    chunkSize: u.chunkSize,
    bytesAcked: s.bytesAcked,
    bytesSent: s.bytesSent,
    totalBytes: s.totalBytes,
    speed: s.speed,
    etaSeconds: s.etaSeconds,
    chunk: s.chunk && { ...s.chunk, label: chunkLabel(s.chunk) },
    jobId: u.jobId,
    imageId: u.imageId,
    datafileUrl: u.datafileUrl,
    datafileSize: u.datafileSize,
    datafileChecksum: u.datafileChecksum,
    encryptedDatafileSize: u.encryptedDatafileSize,
    encryptedDatafileChecksum: u.encryptedDatafileChecksum,
    sha256: u.sha256,
    verified: u.verified,
    error: uploadError(u, s.problem),
    retryAt: iso(s.retryAt),
    workedElsewhere,
    createdAt: iso(u.createdAt) as string,
    finishedAt: iso(u.finishedAt),
    inQueue: !u.hiddenFromQueue,
    // A row cancelled by its timer may still carry the mark for a moment: it is over, not pending.
    cancelAt: isTerminal(u.state) ? null : iso(u.cancelAt),
  };
}

export function imageView(i: FirmwareImage, verifiedLocally: boolean): ImageView {
  return {
    id: i.id,
    name: i.name,
    description: i.description,
    datafileUrl: i.datafile,
    datafileSize: i.datafile_size,
    datafileChecksum: i.datafile_checksum || null,
    encrypted: i.datafile_encryption === true,
    encryptedChecksum: i.encrypted_datafile_checksum,
    encryptedSize: i.encrypted_datafile_size,
    createdAt: i.created_at,
    verifiedLocally,
  };
}

export function jobView(j: UploadJob, uploadId: string | null): JobView {
  return {
    id: j.id,
    name: j.name,
    description: j.description,
    status: j.status,
    completed: j.completed,
    firmwareImageId: j.firmware_image_id,
    createdAt: j.created_at,
    uploadId,
  };
}

/**
 * The fan-outs among `views` (uploads with a groupId), one summary each, in the order their first
 * target appears: the history's "fw-2.3.1.bin → 3 accounts, 3 verified".
 */
export function groupSummaries(views: readonly UploadView[]): UploadGroupSummary[] {
  const groups = new Map<string, UploadView[]>();
  for (const v of views) {
    if (v.groupId !== null) groups.set(v.groupId, [...(groups.get(v.groupId) ?? []), v]);
  }
  return [...groups].map(([groupId, members]) => groupSummary(groupId, members));
}

export function groupSummary(groupId: string, members: readonly UploadView[]): UploadGroupSummary {
  const verified = members.filter((m) => m.phase === 'done' && m.verified).length;
  const failed = members.filter(
    (m) => m.phase === 'failed' || (m.phase === 'done' && !m.verified),
  ).length;
  const cancelled = members.filter((m) => m.phase === 'cancelled').length;
  const active = members.length - verified - failed - cancelled;
  const state = active > 0 ? 'active' : verified === members.length ? 'done' : 'failed';
  const parts = [`${verified} verified`];
  if (failed) parts.push(`${failed} failed`);
  if (cancelled) parts.push(`${cancelled} cancelled`);
  if (active) parts.push(`${active} in progress`);
  const n = members.length;
  return {
    groupId,
    fileName: members[0]?.fileName ?? '',
    uploadIds: members.map((m) => m.id),
    targets: n,
    verified,
    failed,
    cancelled,
    active,
    state,
    label: `${members[0]?.fileName ?? ''} → ${n} account${n === 1 ? '' : 's'}, ${parts.join(', ')}`,
  };
}
