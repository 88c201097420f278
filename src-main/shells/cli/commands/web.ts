import { resolve } from 'node:path';
import pkg from '../../../../package.json';
import { helperProcessKeychain } from '../../../app/command-line';
import { defaultDataDir } from '../../../app/paths';
import { launchWebApp } from '../../web/launch';
import { countOption, expectPositionals, parseCommand, stringOption } from '../args';
import { watchStopSignals } from '../signals';
import { CliUsageError } from '../usage';

const SYNOPSIS = 'firmdrop web [--port N] [--data-dir DIR]';

/**
 * `firmdrop web`: the desktop app's UI and service in a browser, for headless machines and
 * tests. Prints the page's URL (with its per-run token) as the first line of stdout; binds to
 * 127.0.0.1 only; runs until SIGINT/SIGTERM, then lets uploads stop as `interrupted`.
 */
export async function webCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(args, { port: { type: 'string' } }, SYNOPSIS);
  expectPositionals(parsed.positionals, [], SYNOPSIS);
  const portText = stringOption(parsed.values, 'port');
  // 0 (the default) picks any free port.
  const port =
    portText === undefined || portText === '0' ? 0 : countOption('port', portText, 65535);
  if (parsed.global.caFile !== undefined) {
    throw new CliUsageError(
      '--ca is for the other commands; the browser UI trusts the CA file set in Settings → Network → Trusted CA certificate.',
    );
  }
  const dataDir = resolve(parsed.global.dataDir ?? defaultDataDir(process.env));
  const web = await launchWebApp({
    dataDir,
    // The CLI bundle is out/cli/firmdrop.cjs; the built renderer sits beside it in out/renderer.
    rendererDir: resolve(__dirname, '../renderer'),
    version: pkg.version,
    keychain: helperProcessKeychain(process.env),
    port,
  });
  process.stdout.write(`${web.url}\n`);
  process.stderr.write(
    `firmdrop web: open the URL above in a browser (it holds this run's access token). Data: ${dataDir}. Stop with Ctrl+C.\n`,
  );
  const stop = watchStopSignals();
  await new Promise<void>((done) =>
    stop.signal.addEventListener('abort', () => done(), { once: true }),
  );
  process.stderr.write('firmdrop web: stopping; running uploads resume next time.\n');
  await web.close();
  stop.dispose();
  return stop.received()?.exitCode ?? 0;
}
