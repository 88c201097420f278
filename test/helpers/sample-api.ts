/**
 * A FirmdropApi with realistic sample data held in memory, for screenshots and UI demos: accounts
 * (with the sandbox), a queue in every interesting phase (one failed on a taken name), 10,000
 * server images paged by cursor, and upload jobs including one left unfinished by another tool.
 * Not a fake of the service's behaviour: commands only move the sample data the obvious way.
 */
import { createHash } from 'node:crypto';
import type {
  AccountView,
  AppInfo,
  FirmdropApi,
  ImageView,
  JobView,
  Page,
  PageQuery,
  Quota,
  Result,
  Settings,
  UploadView,
} from '../../src-main/app/contract';
import { EventHub } from '../../src-main/app/event-hub';

const MiB = 1024 * 1024;
const BASE_TIME = Date.parse('2026-11-28T09:00:00Z');

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const notFound = (what: string): Result<never> => ({
  ok: false,
  error: { code: 'not-found', message: `${what} no longer exists. Refresh the list.` },
});

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function at(minutesAgo: number): string {
  return new Date(BASE_TIME - minutesAgo * 60_000).toISOString();
}

export const SAMPLE_ACCOUNTS: AccountView[] = [
  {
    id: 'acc-sandbox',
    name: 'Sandbox (local)',
    baseUrl: 'http://127.0.0.1:8443',
    region: 'sandbox',
    isSandbox: true,
    displayName: 'Firmdrop sandbox',
    dmAccountId: 'sandbox',
    tier: '1',
    hasKey: true,
  },
  {
    id: 'acc-prod-eu',
    name: 'Production EU',
    baseUrl: 'https://api.eu-west-1.mbedcloud.com',
    region: 'eu',
    isSandbox: false,
    displayName: 'Acme Devices Ltd',
    dmAccountId: '016f2a8e0b1c0a580a01020000000000',
    tier: '1',
    hasKey: true,
  },
  {
    id: 'acc-trials-us',
    name: 'Field trials US',
    baseUrl: 'https://api.us-east-1.mbedcloud.com',
    region: 'us',
    isSandbox: false,
    displayName: 'Acme R&D',
    dmAccountId: '0171c4d2e9f80a580a01020000000000',
    tier: '0',
    hasKey: true,
  },
];

const QUOTAS: Record<string, Quota> = {
  'acc-sandbox': { used: 4, limit: 1000 },
  'acc-prod-eu': { used: 612, limit: 1000 },
  'acc-trials-us': { used: 9, limit: 10 },
};

function upload(
  partial: Partial<UploadView> & Pick<UploadView, 'id' | 'name' | 'totalBytes'>,
): UploadView {
  return {
    accountId: 'acc-prod-eu',
    fileName: `${partial.name}.bin`,
    filePath: `/home/tech/firmware/${partial.name}.bin`,
    description: '',
    encrypt: false,
    phase: 'queued',
    path: partial.totalBytes >= 100 * MiB ? 'job' : 'small',
    bytesAcked: 0,
    speed: null,
    etaSeconds: null,
    chunk: null,
    jobId: null,
    imageId: null,
    datafileUrl: null,
    sha256: null,
    verified: false,
    error: null,
    retryAt: null,
    workedElsewhere: null,
    createdAt: at(30),
    finishedAt: null,
    ...partial,
  };
}

export function sampleUploads(): UploadView[] {
  return [
    upload({
      id: 'up-1',
      name: 'gateway-fw-4.2.0',
      description: 'Gateway firmware, security fixes for CVE-2026-1187',
      totalBytes: 412 * MiB,
      bytesAcked: 256 * MiB,
      phase: 'uploading',
      path: 'job',
      speed: 11.8 * MiB,
      etaSeconds: 13.2,
      chunk: { current: 26, total: 42 },
      jobId: 'job-41',
      createdAt: at(2),
    }),
    upload({
      id: 'up-2',
      name: 'sensor-node-2.1.7',
      totalBytes: 96 * MiB,
      bytesAcked: 17 * MiB,
      phase: 'hashing',
      path: 'small',
      speed: 48 * MiB,
      etaSeconds: 1.7,
      accountId: 'acc-trials-us',
      createdAt: at(3),
    }),
    upload({
      id: 'up-3',
      name: 'modem-fw-1.9.4',
      totalBytes: 240 * MiB,
      bytesAcked: 84 * MiB,
      phase: 'waiting-network',
      path: 'job',
      chunk: { current: 9, total: 24 },
      jobId: 'job-42',
      encrypt: true,
      createdAt: at(5),
    }),
    upload({
      id: 'up-4',
      name: 'thermostat-5.0.0-rc2',
      totalBytes: 180 * MiB,
      phase: 'queued',
      path: 'job',
      createdAt: at(1),
    }),
    upload({
      id: 'up-5',
      name: 'lighting-ctrl-7.3',
      totalBytes: 64 * MiB,
      phase: 'failed',
      error: {
        code: 'name-taken',
        message:
          "Production EU already has an image or upload job named 'lighting-ctrl-7.3'. Retry under a free name, or delete the old one first.",
        field: 'name',
        suggestion: 'lighting-ctrl-7.3 (2)',
      },
      createdAt: at(8),
      finishedAt: at(7),
    }),
    upload({
      id: 'up-7',
      name: 'bootloader-3.0.1',
      totalBytes: 140 * MiB,
      bytesAcked: 50 * MiB,
      phase: 'interrupted',
      path: 'job',
      chunk: { current: 5, total: 14 },
      jobId: 'job-40',
      accountId: 'acc-sandbox',
      createdAt: at(300),
    }),
    upload({
      id: 'up-6',
      name: 'edge-gw-4.1.9',
      totalBytes: 388 * MiB,
      bytesAcked: 388 * MiB,
      phase: 'done',
      path: 'job',
      chunk: { current: 39, total: 39 },
      jobId: 'job-39',
      imageId: 'img-00009999',
      datafileUrl:
        'https://firmware-catalog-media-ca57.s3.dualstack.eu-west-1.amazonaws.com/edge-gw-4.1.9.bin',
      sha256: sha('edge-gw-4.1.9'),
      verified: true,
      createdAt: at(55),
      finishedAt: at(21),
    }),
  ];
}

const PRODUCTS = [
  'gateway-fw',
  'sensor-node',
  'modem-fw',
  'edge-gw',
  'thermostat',
  'lighting-ctrl',
];

/** Image n of an account's 10,000, newest first; generated on demand so paging stays cheap. */
function sampleImage(accountId: string, n: number): ImageView {
  const product = PRODUCTS[n % PRODUCTS.length] ?? 'fw';
  const version = `${1 + (n % 9)}.${Math.floor(n / 9) % 20}.${n % 13}`;
  const name = `${product}-${version}-b${10000 - n}`;
  const encrypted = n % 7 === 3;
  const size = (2 + ((n * 37) % 400)) * MiB + ((n * 7919) % MiB);
  return {
    id: `img-${accountId.slice(4)}-${String(10000 - n).padStart(5, '0')}`,
    name,
    description: n % 3 === 0 ? `Release build ${version} for the ${product} line` : '',
    datafileUrl: `https://firmware-catalog-media-ca57.s3.dualstack.eu-west-1.amazonaws.com/${name}.bin`,
    datafileSize: size,
    datafileChecksum: sha(name),
    encrypted,
    encryptedChecksum: encrypted ? sha(`enc:${name}`) : null,
    encryptedSize: encrypted ? size + 16 : null,
    createdAt: at(60 + n * 47),
    verifiedLocally: n < 40 && n % 4 !== 1,
  };
}

export function sampleJobs(accountId: string): JobView[] {
  return [
    {
      id: 'job-41',
      name: 'gateway-fw-4.2.0',
      description: '',
      status: 'in_progress',
      completed: false,
      firmwareImageId: null,
      createdAt: at(2),
      uploadId: 'up-1',
    },
    {
      id: 'job-37',
      name: 'modem-fw-1.9.3',
      description: 'started from the portal',
      status: 'in_progress',
      completed: false,
      firmwareImageId: null,
      createdAt: at(60 * 26),
      uploadId: null,
    },
    ...Array.from({ length: 60 }, (_, i): JobView => ({
      id: `job-${accountId.slice(4)}-${i}`,
      name: sampleImage(accountId, i + 1).name,
      description: '',
      status: 'completed',
      completed: true,
      firmwareImageId: sampleImage(accountId, i + 1).id,
      createdAt: at(60 + (i + 1) * 47),
      uploadId: i < 20 ? `old-${i}` : null,
    })),
  ];
}

function pageOf<T extends { id: string; name: string }>(all: T[], q: PageQuery): Page<T> {
  const search = q.search?.toLowerCase();
  const matching = search ? all.filter((x) => x.name.toLowerCase().includes(search)) : all;
  const start = q.after ? matching.findIndex((x) => x.id === q.after) + 1 : 0;
  const limit = Math.min(Math.max(q.limit ?? 50, 2), 1000);
  const items = matching.slice(start, start + limit);
  const hasMore = start + limit < matching.length;
  return {
    items,
    after: hasMore ? (items.at(-1)?.id ?? null) : null,
    hasMore,
    total: matching.length,
  };
}

export interface SampleOptions {
  online?: boolean;
  keychainOk?: boolean;
  /** Start with an empty queue (a first run). */
  emptyQueue?: boolean;
  /** Only the built-in sandbox account, as on a first run. */
  sandboxOnly?: boolean;
  theme?: Settings['theme'];
}

export function createSampleApi(opts: SampleOptions = {}): {
  api: FirmdropApi;
  /** The service's own hub, so the sample plugs into any shell's EventFeed. */
  events: EventHub;
} {
  const events = new EventHub();
  const accounts = SAMPLE_ACCOUNTS.filter((a) => !opts.sandboxOnly || a.isSandbox).map((a) => ({
    ...a,
  }));
  let uploads = opts.emptyQueue ? [] : sampleUploads();
  const images = new Map<string, ImageView[]>();
  const jobs = new Map<string, JobView[]>();
  const imagesOf = (id: string) => {
    if (!images.has(id))
      images.set(
        id,
        Array.from({ length: 10_000 }, (_, n) => sampleImage(id, n)),
      );
    return images.get(id) ?? [];
  };
  const jobsOf = (id: string) => {
    if (!jobs.has(id)) jobs.set(id, sampleJobs(id));
    return jobs.get(id) ?? [];
  };
  let settings: Settings = {
    chunkSizeMiB: 10,
    filesAtOnce: 2,
    smallThresholdMiB: 50,
    keepCompletedJobs: false,
    proxyUrl: '',
    proxyHasCredentials: false,
    caCertFile: '',
    theme: opts.theme ?? 'system',
  };
  const info: AppInfo = {
    version: '0.1.0',
    online: opts.online ?? true,
    outages: [],
    keychain:
      opts.keychainOk === false
        ? {
            ok: false,
            reason: 'locked',
            message: 'The login keyring is locked: unlock it and restart Firmdrop.',
          }
        : { ok: true },
    notices: [],
  };
  const setPhase = (id: string, phase: UploadView['phase']): Result<void> => {
    const u = uploads.find((x) => x.id === id);
    if (!u) return notFound('That upload');
    Object.assign(u, {
      phase,
      error: phase === 'failed' ? u.error : null,
      speed: null,
      etaSeconds: null,
    });
    events.emit('upload:changed', { ...u });
    return ok(undefined);
  };
  const takenNames = () => new Set(uploads.map((u) => u.name).concat(['lighting-ctrl-7.3']));

  const api: FirmdropApi = {
    'app:info': async () => ok(info),
    'accounts:list': async () => ok(accounts),
    'accounts:add': async (input) => {
      const added: AccountView = {
        id: `acc-${accounts.length + 1}`,
        name: input.name,
        baseUrl: input.baseUrl ?? `https://api.${input.region}.example`,
        region: input.region,
        isSandbox: false,
        displayName: null,
        dmAccountId: null,
        tier: null,
        hasKey: true,
      };
      accounts.push(added);
      return ok(added);
    },
    'accounts:rename': async ({ id, name }) => {
      const a = accounts.find((x) => x.id === id);
      if (!a) return notFound('That account');
      a.name = name;
      return ok(a);
    },
    'accounts:remove': async ({ id }) => {
      const at = accounts.findIndex((x) => x.id === id);
      if (at !== -1) accounts.splice(at, 1);
      return ok(undefined);
    },
    'accounts:test': async ({ id }) => {
      const a = accounts.find((x) => x.id === id);
      return a ? ok(a) : notFound('That account');
    },
    'accounts:quota': async ({ id }) => ok(QUOTAS[id] ?? { used: 0, limit: 10 }),
    'uploads:validate': async (draft) => {
      const name = draft.name.trim();
      if (!takenNames().has(name)) return ok([]);
      let n = 2;
      while (takenNames().has(`${name} (${n})`)) n++;
      return ok([
        { field: 'name', message: `Name taken on this account.`, suggestion: `${name} (${n})` },
      ]);
    },
    'uploads:add': async ({ uploads: added }) => {
      const created = added.map((n, i) =>
        upload({
          id: `up-new-${uploads.length + i}`,
          name: n.name ?? n.file.fileName,
          fileName: n.file.fileName,
          totalBytes: n.file.size,
          accountId: n.accountId,
          description: n.description ?? '',
          encrypt: n.encrypt ?? false,
          createdAt: new Date().toISOString(),
        }),
      );
      uploads = uploads.concat(created);
      return ok(created);
    },
    'uploads:list': async () => ok(uploads.map((u) => ({ ...u }))),
    'uploads:pause': async ({ id }) => setPhase(id, 'paused'),
    'uploads:resume': async ({ id }) => setPhase(id, 'uploading'),
    'uploads:cancel': async ({ id }) => setPhase(id, 'cancelled'),
    'uploads:retry': async ({ id, name }) => {
      const u = uploads.find((x) => x.id === id);
      if (u && name) u.name = name;
      return setPhase(id, 'queued');
    },
    'uploads:clear-finished': async () => {
      for (const u of uploads.filter((x) => ['done', 'failed', 'cancelled'].includes(x.phase)))
        events.emit('upload:removed', { id: u.id });
      uploads = uploads.filter((x) => !['done', 'failed', 'cancelled'].includes(x.phase));
      return ok(undefined);
    },
    'images:list': async (q) => ok(pageOf(imagesOf(q.accountId), q)),
    'images:get': async ({ accountId, id }) => {
      const image = imagesOf(accountId).find((x) => x.id === id);
      return image ? ok(image) : notFound('That image');
    },
    'images:delete': async ({ accountId, id }) => {
      images.set(
        accountId,
        imagesOf(accountId).filter((x) => x.id !== id),
      );
      return ok(undefined);
    },
    'jobs:list': async (q) => ok(pageOf(jobsOf(q.accountId), q)),
    'jobs:rename': async ({ accountId, id, name }) => {
      const job = jobsOf(accountId).find((x) => x.id === id);
      if (!job) return notFound('That upload job');
      job.name = name;
      return ok(job);
    },
    'jobs:delete': async ({ accountId, id }) => {
      jobs.set(
        accountId,
        jobsOf(accountId).filter((x) => x.id !== id),
      );
      return ok(undefined);
    },
    'settings:get': async () => ok(settings),
    'settings:update': async ({ proxyCredentials, ...patch }) => {
      settings = { ...settings, ...patch };
      if (proxyCredentials !== undefined) settings.proxyHasCredentials = proxyCredentials !== null;
      return ok(settings);
    },
  };
  return { api, events };
}
