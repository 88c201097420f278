export type ToastLevel = 'info' | 'success' | 'warning' | 'error';

export interface Toast {
  id: number;
  level: ToastLevel;
  message: string;
}

/** Info and success fade by themselves; warnings and errors wait to be read and dismissed. */
const LIFETIME_MS: Record<ToastLevel, number | null> = {
  info: 6000,
  success: 4000,
  warning: null,
  error: null,
};

export class NoticesState {
  items = $state<Toast[]>([]);
  #next = 1;

  push(level: ToastLevel, message: string): number {
    // The same message twice in a row (a flapping network, say) is one toast, not a pile.
    const last = this.items.at(-1);
    if (last && last.level === level && last.message === message) return last.id;
    const id = this.#next++;
    this.items.push({ id, level, message });
    const life = LIFETIME_MS[level];
    if (life !== null) setTimeout(() => this.dismiss(id), life);
    return id;
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }

  clear(): void {
    this.items = [];
  }
}

export const notices = new NoticesState();
