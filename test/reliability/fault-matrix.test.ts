import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiB } from '../../src-main/core/limits';
import type { FaultSpec } from '../../src-sandbox';
import type { UploadSnapshot } from '../../src-main/upload/types';
import { engineHarness, serverState, type EngineHarness } from '../helpers/engine-harness';

/**
 * Every fault mode of the sandbox at every step of both upload paths. Each fault must fire exactly
 * once (it is armed for one request and must be used up), and each run must end with a
 * byte-exact verified image, exactly one new image, no unfinished job, and no chunk appended twice.
 */
type Fault = { label: string; spec: FaultSpec };

const FAULTS: Fault[] = [
  { label: '500', spec: { kind: 'status', status: 500 } },
  { label: '503', spec: { kind: 'status', status: 503 } },
  { label: '429 + Retry-After', spec: { kind: 'status', status: 429, retryAfterSeconds: 1 } },
  { label: 'reset mid-body', spec: { kind: 'reset', afterBytes: 1000 } },
  { label: 'append then drop', spec: { kind: 'append-then-drop' } },
  { label: 'answer after the client timeout', spec: { kind: 'delay', ms: 2500 } },
];

const JOB = /^\/v3\/firmware-images\/upload-jobs\/?$/;
const CHUNKS = /\/chunks\/?$/;
const IMAGE = /^\/v3\/firmware-images\/[0-9a-f]{32}\/?$/;
const SMALL = /^\/v3\/firmware-images\/?$/;

type Step = {
  label: string;
  path: 'job' | 'small';
  method: 'POST' | 'GET';
  match: RegExp;
  /** Arms the fault when this is first true (null: before the upload starts). */
  when: ((s: UploadSnapshot) => boolean) | null;
};

const STEPS: Step[] = [
  { label: 'job create', path: 'job', method: 'POST', match: JOB, when: null },
  { label: 'chunk 1', path: 'job', method: 'POST', match: CHUNKS, when: null },
  {
    label: 'chunk 2',
    path: 'job',
    method: 'POST',
    match: CHUNKS,
    when: (s) => s.chunk?.current === 1,
  },
  {
    label: 'last chunk',
    path: 'job',
    method: 'POST',
    match: CHUNKS,
    when: (s) => s.chunk?.current === 2,
  },
  {
    label: 'completion',
    path: 'job',
    method: 'POST',
    match: CHUNKS,
    when: (s) => s.chunk?.current === 3,
  },
  {
    label: 'image fetch',
    path: 'job',
    method: 'GET',
    match: IMAGE,
    when: (s) => s.phase === 'finalising',
  },
  // The small path has no image fetch to fault: the POST's answer is the image.
  { label: 'small POST', path: 'small', method: 'POST', match: SMALL, when: null },
];

let h: EngineHarness;
let n = 0;
beforeAll(async () => {
  h = await engineHarness({ dmTimeoutMs: 1500 });
});
afterAll(async () => h.close());

async function download(url: string): Promise<Buffer> {
  return Buffer.from(await (await fetch(url)).arrayBuffer());
}

describe.each(STEPS)('fault at $label', (step) => {
  it.each(FAULTS)(
    '$label fires → verified, one image, no open job, nothing appended twice',
    async (fault) => {
      const size = step.path === 'job' ? 10 * MiB + 777 : 200 * 1024;
      const { path, data } = h.file(`f${++n}.bin`, size);
      const before = await serverState(h.dm);
      const statsBefore = h.sandbox.stats();
      const u = await h.add({ filePath: path, name: `fw-${n}` });
      expect(u.path).toBe(step.path);

      const spec = { ...fault.spec, method: step.method, path: step.match, times: 1 } as FaultSpec;
      let armed = false;
      const arm = (s: UploadSnapshot) => {
        if (!armed && s.upload.id === u.id && step.when?.(s)) {
          armed = true;
          h.sandbox.faults.inject(spec);
        }
      };
      const sub = h.engine.onDidChange(arm);
      if (step.when === null) {
        armed = true;
        h.sandbox.faults.inject(spec);
      }
      h.engine.enqueue(u.id);
      await h.engine.whenIdle();
      sub.dispose();
      const unused = h.sandbox.faults.pending();
      h.sandbox.faults.clear();

      // The fault fired: armed, used up by a request of this step, counted once by the sandbox.
      expect(armed).toBe(true);
      expect(unused).toBe(0);
      const fired = (s: typeof statsBefore) => s.faultsFired[fault.spec.kind];
      expect(fired(h.sandbox.stats()) - fired(statsBefore)).toBe(1);
      const done = h.store.uploads.getUpload(u.id)!;
      expect({ state: done.state, error: done.errorMessage }).toEqual({
        state: 'done',
        error: null,
      });
      expect(done.verified).toBe(true);
      expect((await download(done.datafileUrl!)).equals(data)).toBe(true);
      const after = await serverState(h.dm);
      expect(after).toEqual({ images: before.images + 1, openJobs: 0 });
      if (step.path === 'job') {
        const appended = h.sandbox.stats().chunksAppended - statsBefore.chunksAppended;
        // 3 data chunks, each appended once (the sandbox does not count the completing chunk).
        expect(appended).toBe(3);
      }
    },
  );
});
