import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  type Running,
} from '../integration/cli/cli-fixture';
import { seededRandom } from '../helpers/seeded-random';

/**
 * The CLI killed with SIGKILL at random points of its upload, twice per round (the upload, then
 * the resume that follows), then `firmdrop resume` to the end. A kill point is a position, not a
 * delay: the n-th chunk-body byte to reach the server (anywhere in a chunk, its first and last
 * bytes included) or the n-th request of the run (job creation, the checks, the completing chunk,
 * verification). The sandbox says when it gets there, so a seed replays the same points whatever
 * the machine's speed. Every round must end verified, byte-exact, with one image, no open job,
 * every chunk appended exactly once, and a journal that passes PRAGMA integrity_check.
 * `npm run test:soak` runs many more rounds (FIRMDROP_SOAK=1). The seed is printed for replays.
 */
const ROUNDS = process.env.FIRMDROP_SOAK === '1' ? 15 : 3;
const SEED = Number(process.env.FIRMDROP_SEED ?? Date.now() % 100_000);
const KEY = 'ak_kill_soak_0123456789';
const cli = useBuiltCli();
const scratch = useScratch();
let sb: Sandbox;

type KillPoint = { at: 'byte' | 'request'; n: number };
/** Requests a whole upload run makes, about: a point past its end lets the run finish. */
const RUN_REQUESTS = 14;

/** Four kills in five land in a chunk body, the rest at a request. */
function pickKill(rnd: () => number, bytes: number): KillPoint {
  return rnd() < 0.8
    ? { at: 'byte', n: 1 + Math.floor(rnd() * bytes) }
    : { at: 'request', n: 1 + Math.floor(rnd() * RUN_REQUESTS) };
}

/** SIGKILLs `run` when the sandbox reaches `point` (counted from now); 'finished' if it ended first. */
async function killAt(run: Running, point: KillPoint): Promise<'killed' | 'finished'> {
  const now = sb.stats();
  const reached =
    point.at === 'byte'
      ? sb.when('bytesReceived', now.bytesReceived + point.n)
      : sb.when('requests', now.requests + point.n);
  const first = await Promise.race([
    reached.then(() => 'killed' as const),
    run.done.then(() => 'finished' as const),
  ]);
  if (first === 'killed') run.child.kill('SIGKILL');
  await run.done;
  return first;
}

const describeKill = (p: KillPoint, outcome: string) =>
  `${p.at === 'byte' ? `byte ${p.n}` : `request ${p.n}`} (${outcome})`;

beforeAll(async () => {
  console.log(`kill soak: ${ROUNDS} rounds, FIRMDROP_SEED=${SEED}`);
  sb = await startSandbox({ accounts: [{ key: KEY, tier: '1' }] });
});
afterAll(async () => sb?.close());

describe('SIGKILL at random points, then resume', () => {
  const rnd = seededRandom(SEED);
  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    'round %i',
    async (round) => {
      const dataDir = join(scratch.dir(), `data-${round}`);
      const env = envCredentials(sb.url, KEY);
      const f = scratch.file(`fw-${round}.bin`, 30 * MiB);
      const appendedBefore = sb.stats().chunksAppended;
      sb.faults.setBandwidth(12 * MiB);
      const kills: string[] = [];
      const firstPoint = pickKill(rnd, f.data.length);
      const first = startCli(
        cli(),
        ['--data-dir', dataDir, 'upload', f.path, '--chunk-size', '5', '--quiet'],
        { env },
      );
      kills.push(describeKill(firstPoint, await killAt(first, firstPoint)));
      // A second kill, this time of the resume itself, in its first 15 MiB (a fixed range, not
      // what is left: that depends on timing, and the seed alone must decide the point).
      const secondPoint = pickKill(rnd, 15 * MiB);
      const second = startCli(cli(), ['--data-dir', dataDir, 'resume', '--quiet'], { env });
      kills.push(describeKill(secondPoint, await killAt(second, secondPoint)));

      const db = new Sqlite(join(dataDir, 'firmdrop.db'), { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        db.close();
      }
      sb.faults.setBandwidth(null);
      const done = await runCli(cli(), ['--data-dir', dataDir, 'resume', '--json'], { env });
      const context = `round ${round}, kills at ${kills.join(', ')}, FIRMDROP_SEED=${SEED}\n${done.stderr}`;
      console.log(`kill soak round ${round}: ${kills.join(', ')}`);
      expect(done.code, context).toBe(0);
      let result = (json(done) as Array<Record<string, unknown>>).find((r) => r.file === f.path);
      // Resume has nothing to do when the upload had already finished before a kill…
      if (!result) {
        const journal = await runCli(cli(), ['--data-dir', dataDir, 'uploads', '--json'], { env });
        result = (json(journal) as Array<Record<string, unknown>>).find(
          (r) => r.file === f.path && r.state === 'done',
        );
      }
      // …or when the first kill came before the upload was journaled at all: then upload it anew.
      if (!result) {
        const again = await runCli(
          cli(),
          ['--data-dir', dataDir, 'upload', f.path, '--chunk-size', '5', '--json'],
          { env },
        );
        expect(
          again.code,
          `${context}\nresume stdout: ${done.stdout}\nupload again: ${again.stderr}${again.stdout}`,
        ).toBe(0);
        result = (json(again) as Array<Record<string, unknown>>)[0];
      }
      expect(result, context).toMatchObject({ verified: true, datafile_checksum: f.sha256 });
      expect((await download(result!.datafile as string)).equals(f.data), context).toBe(true);
      expect(sb.stats().chunksAppended - appendedBefore, context).toBe(6);
      const images = await fetch(`${sb.url}/v3/firmware-images/?name__eq=fw-${round}.bin`, {
        headers: { authorization: `Bearer ${KEY}` },
      }).then((r) => r.json() as Promise<{ data: unknown[] }>);
      expect(images.data, context).toHaveLength(1);
      const jobs = await fetch(`${sb.url}/v3/firmware-images/upload-jobs?limit=100`, {
        headers: { authorization: `Bearer ${KEY}` },
      }).then((r) => r.json() as Promise<{ data: Array<{ status: string }> }>);
      expect(
        jobs.data.filter((j) => j.status !== 'completed'),
        context,
      ).toEqual([]);
    },
    90_000,
  );
});
