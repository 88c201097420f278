import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { api, createJob, postImage } from '../../helpers/sandbox-client';
import {
  envCredentials,
  runCli,
  runInTerminal,
  useBuiltCli,
  useScratch,
  type CliResult,
} from './cli-fixture';

// A delete on a terminal shows what it will delete and asks; a script must say --yes, else it is
// refused before anything is sent. The terminal is a real pty (util-linux `script`).
const KEY = 'ak_cli_delete_confirm_0123456789';
const cli = useBuiltCli();
const sandbox = useSandbox({ accounts: [{ key: KEY, tier: '1' }] });
const scratch = useScratch();
let n = 0;

function session() {
  const dataDir = join(scratch.dir(), `data-${++n}`);
  const env = envCredentials(sandbox().url, KEY);
  return {
    run: (...args: string[]) => runCli(cli(), ['--data-dir', dataDir, ...args], { env }),
    /** On a terminal, answering `answer` when the question appears. */
    onTerminal: (answer: string, ...args: string[]): Promise<CliResult> => {
      let answered = false;
      return runInTerminal(cli(), ['--data-dir', dataDir, ...args], {
        env,
        onOutput(seen, write) {
          if (!answered && seen.includes('[y/N] ')) {
            answered = true;
            write(`${answer}\r`);
          }
        },
      });
    },
  };
}

async function image(name: string): Promise<string> {
  const res = await postImage(sandbox().url, KEY, { data: Buffer.from(name), name });
  expect(res.status).toBe(201);
  return res.json.id as string;
}

const imageStatus = async (id: string) =>
  (await api(sandbox().url, KEY, 'GET', `/v3/firmware-images/${id}/`)).status;

describe('delete asks first', () => {
  it.each([
    ['images', 'firmdrop images delete'],
    ['jobs', 'firmdrop jobs delete'],
  ])('%s delete without a terminal and without --yes: exit 2, nothing sent', async (group, cmd) => {
    const s = session();
    const id =
      group === 'images' ? await image('keep-me') : (await createJob(sandbox().url, KEY)).id;
    const before = sandbox().stats().requests;
    const r = await s.run(group, 'delete', id);
    expect(r).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `firmdrop ${group}: "${cmd}" deletes for good and asks first, but stdin is not a terminal: add --yes (-y) to delete without asking.\n`,
    });
    expect(sandbox().stats().requests).toBe(before);
  });

  it('on a terminal, shows the name and id and deletes nothing on "n"', async () => {
    const s = session();
    const id = await image('asked-no');
    const r = await s.onTerminal('n', 'images', 'delete', id);
    expect(r.stdout).toContain(`Delete firmware image "asked-no" (${id})? [y/N] `);
    expect(r.stdout).toContain('nothing was deleted.');
    expect(r.code).toBe(1);
    expect(await imageStatus(id)).toBe(200);
  });

  it('on a terminal, deletes on "y"; a job too', async () => {
    const s = session();
    const id = await image('asked-yes');
    const r = await s.onTerminal('y', 'images', 'delete', id);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain(`Deleted firmware image ${id} (asked-yes).`);
    expect(await imageStatus(id)).toBe(404);

    const job = await createJob(sandbox().url, KEY, { name: 'asked-job' });
    const j = await s.onTerminal('yes', 'jobs', 'delete', job.id);
    expect(j.stdout).toContain(`Delete upload job "asked-job" (${job.id})? [y/N] `);
    expect(j.code, j.stdout).toBe(0);
  });

  it('--yes and -y delete without asking', async () => {
    const s = session();
    const a = await image('yes-long');
    const b = await image('yes-short');
    expect((await s.run('images', 'delete', a, '--yes')).code).toBe(0);
    expect((await s.run('images', 'delete', b, '-y')).code).toBe(0);
    expect([await imageStatus(a), await imageStatus(b)]).toEqual([404, 404]);
  });
});
