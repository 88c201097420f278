/**
 * The tests' own look at the stand-in service: its public API with the account's key (what is
 * really stored) and its admin endpoints (faults, bandwidth). Never used to drive the app.
 */
import { e2eEnv } from './env';

export interface ServerImage {
  id: string;
  name: string;
  description: string;
  datafile: string;
  datafile_size: number;
  datafile_checksum: string;
}

async function send(path: string, init: RequestInit & { admin?: boolean } = {}): Promise<Response> {
  const env = e2eEnv();
  const headers: Record<string, string> = init.admin
    ? { 'X-Sandbox-Admin': env.sandboxAdminToken }
    : { Authorization: `Bearer ${env.sandboxKey}` };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(env.sandboxUrl + path, { ...init, headers });
  if (!response.ok) {
    throw new Error(
      `${init.method ?? 'GET'} ${path} answered ${response.status}: ${await response.text()}`,
    );
  }
  return response;
}

/** Every image of the account with exactly this name (the service allows one; we count). */
export async function imagesNamed(name: string): Promise<ServerImage[]> {
  const query = new URLSearchParams({ name__eq: name, limit: '10' });
  const body = (await (await send(`/v3/firmware-images?${query}`)).json()) as {
    data: ServerImage[];
  };
  return body.data.filter((i) => i.name === name);
}

/** The datafile's bytes, or null when the URL answers 404 (the image is gone). */
export async function downloadDatafile(url: string): Promise<Buffer | null> {
  const response = await fetch(url);
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

export type FaultSpec = {
  method?: string;
  /** A regular expression's source. */
  path?: string;
  times?: number;
} & (
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  | { kind: 'reset'; afterBytes: number }
  | { kind: 'append-then-drop' }
  | { kind: 'delay'; ms: number }
);

export interface SandboxState {
  pendingFaults: number;
  bandwidthBytesPerSec: number | null;
  stats: {
    chunkPosts: number;
    bytesAppended: number;
    faultsFired: Record<FaultSpec['kind'], number>;
  };
}

export async function injectFaults(specs: FaultSpec[]): Promise<void> {
  await send('/__sandbox/faults', { method: 'POST', admin: true, body: JSON.stringify(specs) });
}

export async function clearFaults(): Promise<void> {
  await send('/__sandbox/faults', { method: 'DELETE', admin: true });
}

export async function setBandwidth(bytesPerSec: number | null): Promise<void> {
  await send('/__sandbox/settings', {
    method: 'PUT',
    admin: true,
    body: JSON.stringify({ bandwidthBytesPerSec: bytesPerSec }),
  });
}

export async function sandboxState(): Promise<SandboxState> {
  return (await (await send('/__sandbox/state', { admin: true })).json()) as SandboxState;
}

/** An upload job another tool started and left unfinished (it holds its name on the service). */
export async function createForeignJob(name: string): Promise<{ id: string; name: string }> {
  const response = await send('/v3/firmware-images/upload-jobs', {
    method: 'POST',
    body: JSON.stringify({ name, description: 'started by another tool' }),
  });
  return (await response.json()) as { id: string; name: string };
}
