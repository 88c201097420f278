/**
 * FirmdropBridge over HTTP, for when the renderer runs in a plain browser against the web shell
 * (src-main/shells/web). Commands are POSTed as JSON, events arrive as Server-Sent Events, and
 * files are streamed one by one to the shell's staging area. Every failure becomes a Result.
 * In the page, requests authenticate with the session cookie the shell set when the page was
 * opened with its token; a program (a test) may pass the token, sent as a header.
 */
import type {
  Channel,
  ContractError,
  EventName,
  FirmdropApi,
  FirmdropBridge,
  FirmdropEvents,
  Result,
  StagedFile,
} from '../../src-main/app/contract';

export interface WebBridgeOptions {
  /** Absent in the page, which the session cookie authenticates. */
  token?: string;
  /** '' in the page (same origin); an absolute origin in tests. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Absent where the platform has none (Node tests): events are then never delivered. */
  EventSource?: typeof EventSource;
}

const TOKEN_HEADER = 'X-Firmdrop-Token';

function failure(code: ContractError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

const UNREACHABLE =
  'The Firmdrop service did not answer. Check that "firmdrop web" is still running, then reload the page.';

async function readResult<T>(response: Response): Promise<Result<T>> {
  try {
    const body = (await response.json()) as Result<T>;
    if (typeof body === 'object' && body !== null && typeof body.ok === 'boolean') return body;
  } catch {
    // fall through: not a Result
  }
  return failure(
    'bad-response',
    `The Firmdrop service answered ${response.status} without a result.`,
  );
}

export function createWebBridge(opts: WebBridgeOptions): FirmdropBridge {
  const base = opts.baseUrl ?? '';
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  let source: EventSource | null = null;
  const reconnected = new Set<() => void>();

  async function post<T>(path: string, init: RequestInit): Promise<Result<T>> {
    try {
      const headers = { ...(init.headers as Record<string, string>) };
      if (opts.token) headers[TOKEN_HEADER] = opts.token;
      const response = await doFetch(base + path, { ...init, headers, credentials: 'same-origin' });
      return await readResult<T>(response);
    } catch {
      return failure('network', UNREACHABLE);
    }
  }

  function events(): EventSource | null {
    if (source || !opts.EventSource) return source;
    // Same origin: the session cookie goes along (EventSource cannot set headers).
    source = new opts.EventSource(`${base}/api/events`);
    // The browser reconnects by itself after a lost stream; each open after the first means
    // events may have been missed while it was down.
    let opens = 0;
    source.addEventListener('open', () => {
      if (++opens > 1) for (const listener of [...reconnected]) listener();
    });
    return source;
  }

  return {
    shell: 'web',
    invoke<C extends Channel>(channel: C, ...args: Parameters<FirmdropApi[C]>) {
      return post(`/api/invoke/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(args),
      }) as ReturnType<FirmdropApi[C]>;
    },
    on<E extends EventName>(event: E, listener: (payload: FirmdropEvents[E]) => void) {
      const stream = events();
      if (!stream) return () => {};
      const handler = (message: MessageEvent<string>) => {
        listener(JSON.parse(message.data) as FirmdropEvents[E]);
      };
      stream.addEventListener(event, handler);
      return () => stream.removeEventListener(event, handler);
    },
    onReconnect(listener) {
      if (!events()) return () => {};
      reconnected.add(listener);
      return () => reconnected.delete(listener);
    },
    async saveHistoryExport(input) {
      const made = await this.invoke('history:export', input);
      if (!made.ok) return made;
      const { content, mimeType, fileName, rows } = made.value;
      // A download: the browser saves it where the user's downloads go (or asks, as set up).
      const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.click();
      // The download has its own copy once started; the URL is let go after this turn.
      setTimeout(() => URL.revokeObjectURL(url), 0);
      return { ok: true, value: { saved: true, rows } };
    },
    async stageFiles(files: File[]) {
      const staged: StagedFile[] = [];
      // One at a time: the disk and the loopback link gain nothing from parallel copies.
      for (const file of files) {
        const query = `name=${encodeURIComponent(file.name)}&size=${file.size}`;
        const result = await post<StagedFile>(`/api/stage?${query}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/octet-stream' },
          body: file,
        });
        if (!result.ok) return result;
        staged.push(result.value);
      }
      return { ok: true, value: staged };
    },
  };
}

/** Stands in when the page was not served by the web shell: says so instead of failing oddly. */
export function createDisconnectedBridge(): FirmdropBridge {
  const answer = failure(
    'internal',
    'This page is not connected to Firmdrop. Start it with "npm run web" and open the address it prints.',
  );
  return {
    shell: 'web',
    invoke: (() => Promise.resolve(answer)) as FirmdropBridge['invoke'],
    on: () => () => {},
    stageFiles: () => Promise.resolve(answer),
    saveHistoryExport: () => Promise.resolve(answer),
  };
}

/**
 * The token in the address the page was opened with has done its work (the shell answered with a
 * session cookie): take it out of the address bar and the history entry.
 */
export function forgetAddressToken(win: Pick<Window, 'location' | 'history'>): void {
  const url = new URL(win.location.href);
  if (!url.searchParams.has('token')) return;
  url.searchParams.delete('token');
  win.history.replaceState(win.history.state, '', url.pathname + url.search + url.hash);
}

/** Gives the page a bridge when no preload did: the web shell marks the pages it serves. */
export function installWebBridge(win: Window, doc: Document): void {
  if (win.firmdrop) return;
  const served = doc.querySelector<HTMLMetaElement>('meta[name="firmdrop-shell"]')?.content;
  if (served === 'web') forgetAddressToken(win);
  win.firmdrop =
    served === 'web'
      ? createWebBridge({ EventSource: globalThis.EventSource })
      : createDisconnectedBridge();
}
