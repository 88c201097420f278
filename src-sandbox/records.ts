/** What the sandbox persists, one JSON file per record. Public JSON is rendered from these. */

export type Tier = '0' | '1' | '2';

export interface AccountRecord {
  id: string;
  key: string;
  tier: Tier;
  name: string;
  created_at: string;
}

export interface ImageRecord {
  id: string;
  account_id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
  etag: string;
  /** The last path segment of the `datafile` URL. */
  datafile_name: string;
  datafile_size: number;
  datafile_checksum: string;
  datafile_encryption: boolean;
  encrypted_datafile_size: number | null;
  encrypted_datafile_checksum: string | null;
}

export interface ChunkRecord {
  id: number;
  length: number;
  /** Hex MD5, as the service reports it. */
  hash: string;
  created_at: string;
}

export type JobStatus = 'not_started' | 'in_progress' | 'completed';

export interface JobRecord {
  id: string;
  account_id: string;
  name: string;
  description: string;
  datafile_encryption: boolean;
  status: JobStatus;
  firmware_image_id: string;
  created_at: string;
  updated_at: string;
  etag: string;
  /** Every chunk posted, the completing zero-length one included. */
  chunks: ChunkRecord[];
}

export const MIB = 1024 * 1024;

/** Images an account may hold, by tier (seed: free 10, commercial 1,000; partner treated as commercial). */
export function imageLimit(tier: Tier): number {
  return tier === '0' ? 10 : 1000;
}

export function dataLength(job: JobRecord): number {
  return job.chunks.reduce((sum, c) => sum + c.length, 0);
}
