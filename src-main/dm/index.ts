export { createDmClient, type DmClient, type DmClientOptions } from './client';
export type { CallOptions } from './call';
export type { CreateImageSmallParams } from './images';
export type { CreateUploadJobParams } from './jobs';
export type { AppendChunkParams } from './chunks';
export type { MultipartFile } from './multipart';
export type { ProgressFn } from './body';
export type { DmLogger } from './http';
export {
  DmApiError,
  DmNetworkError,
  isDmApiError,
  isDmNetworkError,
  type DmFieldError,
  type HttpMethod,
  type SentState,
} from './errors';
export { paginate } from './paginate';
export { withRetry, DEFAULT_RETRY_POLICY, type RetryPolicy, type RetryEvent } from './retry';
export { redactHeaders, scrubSecrets } from './redact';
export { REGIONS, describeRegion } from './regions';
export { resolveProxy, type ProxyChoice } from './proxy';
export {
  AccountInfoSchema,
  FirmwareImageSchema,
  UploadChunkSchema,
  UploadJobSchema,
  parseResponse,
} from './schemas';
export type {
  AccountInfo,
  FirmwareImage,
  ListPage,
  UploadChunk,
  UploadJob,
  UploadJobStatus,
} from './schemas';
export type { ChunkListQuery, ImageListQuery, ListQuery, UploadJobListQuery } from './query';
