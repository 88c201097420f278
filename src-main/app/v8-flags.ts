// For shells that tune V8 for themselves (the CLI): the engine sets the flags again after it
// starts a worker thread, which resets one of them (see upload/v8-flags.ts).
export { keepV8Flags } from '../upload/v8-flags';
