import type { FirmdropBridge } from '../src-main/app/contract';

declare global {
  interface Window {
    /** Provided by the Electron preload, or by lib/web-bridge.ts in a browser. */
    firmdrop?: FirmdropBridge;
  }
}

export {};
