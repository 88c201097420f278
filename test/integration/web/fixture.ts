import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FirmdropApi } from '../../../src-main/app/contract';
import { startWebShell } from '../../../src-main/shells/web';
import type { WebShell } from '../../../src-main/shells/web';
import { EventHub } from '../../helpers/event-hub';
import { stubApi } from './stub-api';

export const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>Firmdrop</title>
  </head>
  <body><div id="app"></div><script type="module" src="./assets/app.js"></script></body>
</html>
`;

export interface Fixture {
  shell: WebShell;
  events: EventHub;
  root: string;
  stagingDir: string;
  logged: string[];
  close(): Promise<void>;
}

/** A running shell over a tiny fake renderer build, with a secret file beside it (not inside). */
export async function startFixture(
  api: Partial<FirmdropApi> = {},
  staging: { maxBytes?: number } = {},
  shellOptions: { sessionIdleMs?: number } = {},
): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), 'firmdrop-web-'));
  const rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), INDEX_HTML);
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("firmdrop");\n');
  await writeFile(join(rendererDir, 'assets', 'app.css'), 'body { margin: 0; }\n');
  await writeFile(join(root, 'secret.txt'), 'outside the renderer\n');
  const events = new EventHub();
  const logged: string[] = [];
  const stagingDir = join(root, 'staging');
  const shell = await startWebShell({
    api: stubApi(api),
    events,
    staging: { dir: stagingDir, ...staging },
    rendererDir,
    log: (message) => logged.push(message),
    ...shellOptions,
  });
  return {
    shell,
    events,
    root,
    stagingDir,
    logged,
    async close() {
      await shell.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
