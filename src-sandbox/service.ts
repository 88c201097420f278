import { openSandbox } from './open';
import type { SandboxService, ServiceOptions } from './types';

export type { SandboxAccountSpec, SandboxService, ServiceOptions } from './types';

/**
 * The sandbox as the service alone: no admin API, no fault injection, no throttle. What the
 * desktop app embeds for a first run; ./index.ts adds the control layer for tests and
 * `firmdrop sandbox`. This module does not import that layer, so a bundle built from it holds
 * none of it.
 */
export async function startSandboxService(opts: ServiceOptions = {}): Promise<SandboxService> {
  return (await openSandbox(opts, null)).service;
}
