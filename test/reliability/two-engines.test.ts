import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MiB } from '../../src-main/core/limits';
import { startSandbox, type Sandbox } from '../../src-sandbox';
import {
  download,
  envCredentials,
  json,
  runCli,
  startCli,
  useBuiltCli,
  useScratch,
  type CliResult,
  type Running,
  type TestFile,
} from '../integration/cli/cli-fixture';
import { seededRandom } from '../helpers/seeded-random';

/**
 * Two CLI processes upload different files at once to one data folder (one SQLite journal) and
 * one sandbox, bandwidth-limited so they overlap. One is SIGKILLed at a random point mid-upload
 * (in chunk k of 3, never the last, at a random moment of it: mid-body, or between a 201 and its
 * journal commit). The survivor must finish its own upload; `firmdrop uploads` must show the
 * killed one as interrupted; `firmdrop resume` must take it over at once (its pid is gone, so no
 * waiting for the lease to expire), whether the survivor is still sending or done, and leave the
 * survivor's upload alone. Every round ends with both images verified and byte-exact, every
 * chunk appended exactly once, one image per name and no open job. `npm run test:soak` runs more
 * rounds (FIRMDROP_SOAK=1); the seed is printed so a failing round can be replayed
 * (FIRMDROP_SEED).
 */
const ROUNDS = process.env.FIRMDROP_SOAK === '1' ? 12 : 3;
const SEED = Number(process.env.FIRMDROP_SEED ?? Date.now() % 100_000);
const KEY = 'ak_two_engines_0123456789';
const SIZE = 15 * MiB;
const CHUNKS = 3; // of 5 MiB
/** Far below the lease TTL (30 s): a resume that waited for the lease to run out would miss it. */
const PROMPT_MS = 15_000;
const cli = useBuiltCli();
const scratch = useScratch();
const children: Running[] = [];
let sb: Sandbox;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

beforeAll(async () => {
  console.log(`two engines: ${ROUNDS} rounds, FIRMDROP_SEED=${SEED}`);
  sb = await startSandbox({ accounts: [{ key: KEY, tier: '1' }] });
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  sb.faults.clear();
});
afterAll(async () => sb?.close());

type Row = Record<string, unknown> & { id: string; state: string; file: string };

function folder(name: string) {
  const dataDir = join(scratch.dir(), name);
  const env = envCredentials(sb.url, KEY);
  const args = (...a: string[]) => ['--data-dir', dataDir, ...a];
  return {
    dataDir,
    start(...a: string[]): Running {
      const r = startCli(cli(), args(...a), { env });
      children.push(r);
      return r;
    },
    run: (...a: string[]) => runCli(cli(), args(...a), { env }),
    async rows(): Promise<Row[]> {
      const r = await runCli(cli(), args('uploads', '--json'), { env });
      expect(r.code, r.stderr).toBe(0);
      return json(r) as Row[];
    },
  };
}

type Folder = ReturnType<typeof folder>;

function integrity(dataDir: string): unknown {
  const db = new Sqlite(join(dataDir, 'firmdrop.db'), { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
}

/** One `firmdrop upload` of `f` in 5 MiB chunks, phase lines on stderr. */
const upload = (d: Folder, f: TestFile) => d.start('upload', f.path, '--chunk-size', '5');

/**
 * Kills `victim` `delayMs` into chunk `k`; resolves once it is gone and the server is done with
 * what it was sending. A process killed mid-chunk leaves the rest of that chunk's body in the
 * kernel, which still delivers it, and the server may append it after the process is gone. A
 * takeover that reconciled before it landed would send that chunk again; the job would hold it
 * twice, and the engine would notice and start a clean job (safe, but a whole upload again, and
 * not the exactly-once counted here). Taking over at once cannot see such a late chunk coming,
 * so the resume here starts after the killed process's last request has ended.
 */
async function killIn(
  victim: Running,
  name: string,
  k: number,
  delayMs: number,
  bandwidth: number,
) {
  await victim.waitForStderr(new RegExp(`^${escape(name)}: uploading chunk ${k} of ${CHUNKS}$`));
  await sleep(delayMs);
  victim.child.kill('SIGKILL');
  const end = await victim.done;
  expect(end.signal, `the victim ended by itself before the kill:\n${end.stderr}`).toBe('SIGKILL');
  // At full speed for that moment, then throttled again so the uploads still overlap.
  sb.faults.setBandwidth(null);
  await sb.settled();
  sb.faults.setBandwidth(bandwidth);
}

/** `firmdrop uploads` (table and JSON) before any resume: the killed process's upload. */
async function expectInterrupted(d: Folder, victimFile: TestFile): Promise<Row> {
  const rows = await d.rows();
  const killed = rows.find((r) => r.file === victimFile.path);
  expect(killed, JSON.stringify(rows)).toBeDefined();
  expect(killed?.state).toBe('interrupted');
  const table = await d.run('uploads');
  expect(table.stdout).toMatch(new RegExp(`^${killed?.id}\\s+interrupted\\s`, 'm'));
  return killed as Row;
}

async function expectAllDone(
  d: Folder,
  files: TestFile[],
  appendedBefore: number,
  context: string,
) {
  const rows = await d.rows();
  expect(rows, context).toHaveLength(files.length);
  for (const f of files) {
    const row = rows.find((r) => r.file === f.path);
    expect(row, context).toMatchObject({
      state: 'done',
      verified: true,
      datafile_checksum: f.sha256,
      datafile_size: f.data.length,
    });
    expect((await download(row?.datafile as string)).equals(f.data), context).toBe(true);
  }
  // Nothing appended twice, across two engines, a kill and a takeover.
  const needed = files.reduce((n, f) => n + Math.ceil(f.data.length / (5 * MiB)), 0);
  expect(sb.stats().chunksAppended - appendedBefore, context).toBe(needed);
  for (const f of files) {
    const name = encodeURIComponent(f.path.split('/').at(-1) as string);
    const images = await fetch(`${sb.url}/v3/firmware-images/?name__eq=${name}`, {
      headers: { authorization: `Bearer ${KEY}` },
    }).then((r) => r.json() as Promise<{ data: unknown[] }>);
    expect(images.data, context).toHaveLength(1);
  }
  const jobs = await fetch(`${sb.url}/v3/firmware-images/upload-jobs?limit=100`, {
    headers: { authorization: `Bearer ${KEY}` },
  }).then((r) => r.json() as Promise<{ data: Array<{ status: string }> }>);
  expect(
    jobs.data.filter((j) => j.status !== 'completed'),
    context,
  ).toEqual([]);
  expect(integrity(d.dataDir), context).toBe('ok');
}

/** The resume took the killed upload, at once, and nothing else. */
function expectTookOver(resumed: CliResult, elapsedMs: number, killed: Row, context: string) {
  expect(resumed.code, context).toBe(0);
  expect(elapsedMs, context).toBeLessThan(PROMPT_MS);
  expect(resumed.stderr, context).not.toContain(`leaving ${killed.id}`);
  expect(json(resumed), context).toEqual([
    expect.objectContaining({ upload_id: killed.id, state: 'done', verified: true }),
  ]);
}

describe('two CLI engines on one journal, one killed, the other finishing, resume taking over', () => {
  const rnd = seededRandom(SEED);
  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    'round %i',
    async (round) => {
      const d = folder(`data-${round}`);
      const a = scratch.file(`a-${round}.bin`, SIZE);
      const b = scratch.file(`b-${round}.bin`, SIZE);
      const appendedBefore = sb.stats().chunksAppended;
      const bandwidth = 12 * MiB;
      sb.faults.setBandwidth(bandwidth);
      const stagger = Math.round(rnd() * 400);
      const killA = rnd() < 0.5;
      const k = 1 + Math.floor(rnd() * (CHUNKS - 1)); // never the last chunk: mid-upload
      const delay = Math.round(rnd() * 400); // a 5 MiB chunk takes ≥ 420 ms at 12 MiB/s
      // Even rounds resume while the survivor still sends; odd ones once it is done.
      const resumeWhileLive = round % 2 === 0;
      const context = `round ${round}: stagger ${stagger} ms, kill ${killA ? 'a' : 'b'} ${delay} ms into chunk ${k}, resume ${resumeWhileLive ? 'beside the survivor' : 'after it'}, FIRMDROP_SEED=${SEED}`;

      const first = upload(d, a);
      await sleep(stagger);
      const second = upload(d, b);
      const [victim, survivor, victimFile] = killA ? [first, second, a] : [second, first, b];
      await killIn(victim, victimFile.path.split('/').at(-1) as string, k, delay, bandwidth);
      expect(integrity(d.dataDir), context).toBe('ok');
      const killed = await expectInterrupted(d, victimFile);

      let survived: CliResult | undefined;
      if (!resumeWhileLive) {
        survived = await survivor.done;
        expect(survived.code, `${context}\n${survived.stderr}`).toBe(0);
      }
      const t = Date.now();
      const resumed = await d.run('resume', '--json');
      expectTookOver(resumed, Date.now() - t, killed, `${context}\n${resumed.stderr}`);
      // Left alone only ever the survivor's upload, and only while it was live.
      for (const line of resumed.stderr.split('\n').filter((l) => l.includes('leaving'))) {
        expect(line, context).toContain(`(process ${survivor.child.pid})`);
      }
      survived ??= await survivor.done;
      expect(survived.code, `${context}\n${survived.stderr}`).toBe(0);
      sb.faults.setBandwidth(null);
      await expectAllDone(d, [a, b], appendedBefore, context);
    },
    60_000,
  );

  it('a resume started while the other CLI still sends takes over only the killed upload', async () => {
    const d = folder('data-live');
    const slow = scratch.file('live-slow.bin', 2 * SIZE);
    const doomed = scratch.file('live-doomed.bin', SIZE);
    const appendedBefore = sb.stats().chunksAppended;
    sb.faults.setBandwidth(2 * MiB); // the survivor needs 15 s: it is still sending throughout
    const survivor = upload(d, slow);
    const victim = upload(d, doomed);
    await survivor.waitForStderr(/^live-slow\.bin: uploading chunk 1 of 6$/);
    await killIn(victim, 'live-doomed.bin', 1, 300, 2 * MiB);
    const killed = await expectInterrupted(d, doomed);
    const live = (await d.rows()).find((r) => r.file === slow.path);
    expect(live?.state).toBe('uploading');
    expect((await d.run('uploads')).stdout).toMatch(
      new RegExp(`^${live?.id}\\s+uploading\\s`, 'm'),
    );

    const t = Date.now();
    const resume = d.start('resume');
    await resume.waitForStderr(/^live-doomed\.bin: uploading chunk \d of 3$/);
    expect(resume.stderr().split('\n')[0]).toBe(
      `firmdrop: leaving ${live?.id} ("live-slow.bin") alone: the firmdrop command (process ${survivor.child.pid}) is working on it.`,
    );
    // Both sending now, each by its own live process: neither shows as interrupted.
    expect((await d.rows()).map((r) => r.state)).toEqual(['uploading', 'uploading']);
    sb.faults.setBandwidth(null);
    const resumed = await resume.done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(Date.now() - t).toBeLessThan(PROMPT_MS);
    expect(resumed.stdout).toMatch(
      /^live-doomed\.bin: uploaded and verified as image [0-9a-f]{32} /,
    );
    expect(resumed.stdout + resumed.stderr).not.toContain('live-slow.bin: ');
    expect(resumed.stderr).not.toContain(`leaving ${killed.id}`);
    const survived = await survivor.done;
    expect(survived.code).toBe(0);
    await expectAllDone(
      d,
      [slow, doomed],
      appendedBefore,
      `live resume\nsurvivor:\n${survived.stderr}\nresume:\n${resumed.stderr}`,
    );
  });
});
