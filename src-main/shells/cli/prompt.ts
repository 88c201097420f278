import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { FirmdropError } from '../../core/errors';
import { StoppedBySignal } from './signals';

const MAX_KEY_INPUT = 64 * 1024;

/**
 * The API key for `accounts add`: piped in on stdin (scripts), or typed at a hidden prompt. It is
 * never an argument: arguments end up in shell history and in every `ps` listing.
 */
export async function readApiKey(
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): Promise<string> {
  const text = input.isTTY
    ? await hiddenPrompt('API key (not shown): ', input, output)
    : await readAll(input);
  const key =
    text
      .split(/\r?\n/)
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  if (key === '') {
    throw new FirmdropError(
      'invalid-input',
      input.isTTY
        ? 'No API key was entered. Paste the key at the prompt, then press Enter.'
        : 'No API key arrived on stdin. Pipe it in, e.g. printf %s "$KEY" | firmdrop accounts add NAME --region eu',
    );
  }
  return key;
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > MAX_KEY_INPUT) {
      throw new FirmdropError(
        'invalid-input',
        'stdin holds far more than an API key: pipe in the key alone.',
      );
    }
    parts.push(buf);
  }
  return Buffer.concat(parts).toString('utf8');
}

/**
 * Asks on the terminal without echo: readline puts the terminal in raw mode (so the terminal does
 * not echo) and its own echo goes to a muted stream. Ctrl+C stops the command as SIGINT would.
 */
export function hiddenPrompt(
  question: string,
  input: NodeJS.ReadStream,
  output: NodeJS.WriteStream,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let muted = false;
    let settled = false;
    const sink = new Writable({
      write(chunk: Buffer | string, _enc, done) {
        if (!muted) output.write(chunk);
        done();
      },
    });
    const rl = createInterface({ input, output: sink, terminal: true });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      muted = false;
      output.write('\n');
      rl.close();
      fn();
    };
    rl.on('line', (line) => finish(() => resolve(line)));
    rl.on('SIGINT', () => finish(() => reject(new StoppedBySignal('SIGINT'))));
    rl.on('close', () => finish(() => resolve('')));
    output.write(question);
    muted = true;
  });
}
