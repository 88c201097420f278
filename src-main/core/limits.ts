/**
 * The service's numeric rules, in one place. Sources: the upload guide (seed document) and the
 * service's OpenAPI excerpt; where a value is Firmdrop's own choice, the comment says why.
 */

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** Every data chunk but the last must be at least this long (guide: "minimum chunk size is 5 MiB"). */
export const MIN_CHUNK = 5 * MiB;
/** Each request is at most this long (guide: "each request is less than or equal to 100 MiB"). */
export const MAX_REQUEST = 100 * MiB;

/** OpenAPI `maxLength` of an image's and an upload job's `name`. */
export const NAME_MAX = 128;
/** OpenAPI `maxLength` of `description`. */
export const DESCRIPTION_MAX = 2000;
/**
 * Longest file name the service accepts for a datafile. Not in the seed or OpenAPI excerpt: it is
 * the project brief's figure, kept here so there is one place to correct it.
 */
export const FILE_NAME_MAX = 166;

/**
 * Firmdrop's default chunk size. 16 MiB because: per-request latency is paid 3x less often than
 * at the 5 MiB minimum; the engine holds about two chunks in memory (32 MiB); an ambiguous chunk
 * costs at most 16 MiB to resend; and progress still moves every few seconds on a 10 Mbit/s link.
 */
export const DEFAULT_CHUNK = 16 * MiB;

/**
 * Files up to this size go in one multipart POST (no job, 1 request instead of 3+). Kept small
 * because that POST is not resumable: a drop loses the whole transfer.
 */
export const DEFAULT_SMALL_THRESHOLD = 8 * MiB;

/**
 * Room left in a single POST for the multipart envelope: boundaries, part headers, a 2,000
 * character description (up to 8,000 UTF-8 bytes), name and file name. 64 KiB is several times that.
 */
export const MULTIPART_OVERHEAD_MARGIN = 64 * KiB;
/** Largest file the single-POST path may carry so that the whole request stays within MAX_REQUEST. */
export const MAX_SMALL_FILE = MAX_REQUEST - MULTIPART_OVERHEAD_MARGIN;

/** Content-MD5 of the zero-length chunk that completes a job (RFC 1864: base64 of MD5("")). */
export const EMPTY_MD5_BASE64 = '1B2M2Y8AsgTpgAmY7PhCfg==';
/** The same digest in the hex form the service reports in a chunk's `hash`. */
export const EMPTY_MD5_HEX = 'd41d8cd98f00b204e9800998ecf8427e';

/** List endpoints clamp `limit` to this range (OpenAPI: "minimum limit is 2 and the maximum is 1000"). */
export const LIST_LIMIT_MIN = 2;
export const LIST_LIMIT_MAX = 1000;

/** A page size the list endpoints accept as asked: the one clamp every caller uses. */
export function clampListLimit(limit: number): number {
  return Math.min(LIST_LIMIT_MAX, Math.max(LIST_LIMIT_MIN, limit));
}

/** Images a free account may hold (guide: "up to 1,000 firmware images at a time, instead of 10"). */
export const FREE_IMAGE_QUOTA = 10;
export const COMMERCIAL_IMAGE_QUOTA = 1000;

/** `GET /v3/accounts/me` `tier` → how many firmware images the account may hold. */
export const IMAGE_QUOTA_BY_TIER: Readonly<Record<string, number>> = {
  '0': FREE_IMAGE_QUOTA,
  '1': COMMERCIAL_IMAGE_QUOTA,
  // Partner: the documents name no figure; a partner account is at least a commercial one.
  '2': COMMERCIAL_IMAGE_QUOTA,
};

export interface ImageQuota {
  limit: number;
  /** Set when the tier is not one we know; the limit is then the free tier's, as a safe floor. */
  note?: string;
}

/** Image quota for an account tier; unknown tiers get the smallest known quota and a note saying so. */
export function imageQuotaForTier(tier: string | null | undefined): ImageQuota {
  // Own-property lookup only: a tier such as "toString" must not find Object.prototype members.
  if (typeof tier === 'string' && Object.hasOwn(IMAGE_QUOTA_BY_TIER, tier)) {
    return { limit: IMAGE_QUOTA_BY_TIER[tier] ?? FREE_IMAGE_QUOTA };
  }
  const shown = tier === null || tier === undefined || tier === '' ? 'no tier' : `tier "${tier}"`;
  return {
    limit: FREE_IMAGE_QUOTA,
    note: `The service reported ${shown}, which Firmdrop does not know; assuming the free tier's limit of ${FREE_IMAGE_QUOTA} images.`,
  };
}
