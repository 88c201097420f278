import { formatBytes, formatDuration, formatPercent, formatSpeed } from '../../core/format';
import type { UploadView } from '../../app/contract';
import { clip } from './output';
import { chunkText, isSettled, phaseLabel, waitLabel } from './progress-text';
import type { RunView } from './run-view';

/** One line for one upload: name, bar, %, bytes, speed, ETA, chunk k/n, phase — fitted to `width`. */
export function barLine(s: UploadView, width: number, now: number = Date.now()): string {
  // The bar counts bytes on the wire; the byte count says what the server acknowledged.
  const fraction = s.totalBytes > 0 ? s.bytesSent / s.totalBytes : 0;
  const chunk = chunkText(s);
  const moving = s.phase === 'uploading';
  const name = clip(s.name, 30);
  const pct = formatPercent(s.phase === 'done' ? 1 : fraction).padStart(4);
  const bytes = `${formatBytes(s.bytesAcked)}/${formatBytes(s.totalBytes)} acked`;
  const rate =
    moving && s.speed !== null ? [formatSpeed(s.speed), `ETA ${formatDuration(s.etaSeconds)}`] : [];
  const tail = [chunk ?? '', waitLabel(s, now)];
  // Narrow terminals lose the decoration first, then the rate; the line never wraps.
  const attempts = [
    [name, bar(fraction, 24), pct, bytes, ...rate, ...tail],
    [name, bar(fraction, 12), pct, bytes, ...rate, ...tail],
    [name, pct, bytes, ...rate, ...tail],
    [name, pct, bytes, ...tail],
  ];
  for (const parts of attempts) {
    const line = parts.filter((p) => p !== '').join('  ');
    if (line.length <= width) return line;
  }
  const short = [name, pct.trim(), phaseLabel(s.phase)].join('  ');
  return short.length <= width ? short : `${short.slice(0, width - 1)}…`;
}

function bar(fraction: number, cells: number): string {
  const filled = Math.max(0, Math.min(cells, Math.floor(fraction * cells)));
  return `[${'#'.repeat(filled)}${'-'.repeat(cells - filled)}]`;
}

export interface TtyStream {
  write(chunk: string): boolean;
  columns?: number;
}

/**
 * The live block of progress lines on a terminal (stderr): one line per active upload, redrawn in
 * place at most every `minIntervalMs`. A finished upload's line is left behind as a permanent
 * line above the block, and notices are printed the same way.
 */
export class ProgressBoard implements RunView {
  private readonly active = new Map<string, UploadView>();
  private readonly names = new Map<string, string>();
  private drawn = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly out: TtyStream,
    private readonly now: () => number = Date.now,
    private readonly minIntervalMs = 250,
  ) {}

  update(s: UploadView): void {
    this.names.set(s.id, s.name);
    if (isSettled(s.phase)) {
      if (this.active.delete(s.id)) this.log(barLine(s, this.width(), this.now()));
      return;
    }
    this.active.set(s.id, s);
    this.schedule();
  }

  notice(uploadId: string, message: string): void {
    this.log(`${this.names.get(uploadId) ?? uploadId}: ${message}`);
  }

  /** A permanent line above the live block. */
  log(line: string): void {
    this.out.write(`${this.erase()}${line.replace(/[\r\n]+/g, ' ')}\n${this.frame()}`);
    this.lastDraw = this.now();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.draw();
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = this.lastDraw + this.minIntervalMs - this.now();
    if (wait <= 0) return this.draw();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.draw();
    }, wait);
    this.timer.unref();
  }

  private draw(): void {
    this.out.write(`${this.erase()}${this.frame()}`);
    this.lastDraw = this.now();
  }

  /** Back to the first line of the block and clear to the end of the screen. */
  private erase(): string {
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    this.drawn = 0;
    return `${up}\r\x1b[J`;
  }

  private frame(): string {
    const width = this.width();
    const lines = [...this.active.values()].map((s) => `${barLine(s, width, this.now())}\n`);
    this.drawn = lines.length;
    return lines.join('');
  }

  private width(): number {
    // One column short of the edge: a line that fills it exactly wraps on some terminals.
    return Math.max(20, (this.out.columns ?? 80) - 1);
  }
}
