/**
 * The renderer's single seam to the service: everything else imports from here, never from
 * window.firmdrop, so tests fake exactly one object. Results are unwrapped into values or ApiError.
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

export type Value<C extends Channel> =
  Awaited<ReturnType<FirmdropApi[C]>> extends Result<infer T> ? T : never;

export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: ContractError['code'];
  readonly field: string | undefined;
  readonly suggestion: string | undefined;
  /** A refused `uploads:add`: each refused target (file × account) and why. */
  readonly targets: NonNullable<ContractError['targets']>;

  constructor(error: ContractError) {
    super(error.message);
    this.code = error.code;
    this.field = error.field;
    this.suggestion = error.suggestion;
    this.targets = error.targets ?? [];
  }
}

const NOT_CONNECTED: ContractError = {
  code: 'internal',
  message: "Firmdrop's window is not connected to its service. Restart Firmdrop.",
};

function bridge(): FirmdropBridge {
  // globalThis, not window: the state tests run in Node and install `window` themselves.
  const found = (globalThis as { window?: { firmdrop?: FirmdropBridge } }).window?.firmdrop;
  if (!found) throw new ApiError(NOT_CONNECTED);
  return found;
}

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}

export async function call<C extends Channel>(
  channel: C,
  ...args: Parameters<FirmdropApi[C]>
): Promise<Value<C>> {
  const target = bridge();
  let result: Result<Value<C>>;
  try {
    result = (await target.invoke(channel, ...args)) as Result<Value<C>>;
  } catch (err) {
    // A bridge should answer with Results; a rejection means the transport itself broke.
    throw new ApiError({
      code: 'internal',
      message: `Firmdrop's service did not answer (${err instanceof Error ? err.message : String(err)}). Restart Firmdrop.`,
    });
  }
  return unwrap(result);
}

export function on<E extends EventName>(
  event: E,
  listener: (payload: FirmdropEvents[E]) => void,
): () => void {
  return bridge().on(event, listener);
}

/** Called when a lost event stream is back (web shell only): read again what events told. */
export function onReconnect(listener: () => void): () => void {
  return bridge().onReconnect?.(listener) ?? (() => {});
}

export async function stageFiles(files: File[]): Promise<StagedFile[]> {
  return unwrap(await bridge().stageFiles(files));
}

/** Saves the local history export: a download in the browser, a save dialog on the desktop. */
export async function saveHistoryExport(
  input: Parameters<FirmdropBridge['saveHistoryExport']>[0],
): Promise<{ saved: boolean; rows: number }> {
  return unwrap(await bridge().saveHistoryExport(input));
}

/** A message fit for a technician, whatever was thrown. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error && err.message) return `Something went wrong: ${err.message}`;
  return 'Something went wrong. Try again.';
}

export function shellKind(): FirmdropBridge['shell'] | null {
  return (globalThis as { window?: { firmdrop?: FirmdropBridge } }).window?.firmdrop?.shell ?? null;
}
