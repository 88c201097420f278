import type { ActiveUploads } from './active-uploads';

export interface QuitPrompt {
  /** Returns true when the user chose to quit anyway. */
  confirmQuit(count: number): boolean;
}

/**
 * Decides one 'before-quit': with uploads running, ask first. Quitting is safe either way (the
 * journal resumes them on the next start), and the prompt says so, so nobody fears losing work.
 */
export function shouldPreventQuit(active: ActiveUploads, prompt: QuitPrompt): boolean {
  if (active.count === 0) return false;
  return !prompt.confirmQuit(active.count);
}

export function quitMessage(count: number): { message: string; detail: string } {
  const uploads = count === 1 ? '1 upload is' : `${count} uploads are`;
  return {
    message: `${uploads} still running. Quit Firmdrop?`,
    detail:
      'Nothing is lost: Firmdrop resumes each upload from what the server already holds the next time it starts.',
  };
}
