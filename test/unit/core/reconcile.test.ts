import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_MD5_HEX, MiB } from '../../../src-main/core/limits';
import {
  jobIsCompleted,
  reconcileChunks,
  type ChunkReconcile,
  type ChunkReconcileInput,
  type JournalChunk,
  type ServerChunk,
} from '../../../src-main/core/reconcile';
import { catchFirmdropError } from './catch-error';

const md5 = (i: number) => createHash('md5').update(`chunk ${i}`).digest('hex');
const md5b64 = (i: number) => createHash('md5').update(`chunk ${i}`).digest('base64');

/** A journal of chunks with the given lengths, the first `acked` of them acknowledged. */
function journal(lengths: number[], acked: number): JournalChunk[] {
  let offset = 0;
  return lengths.map((length, i) => {
    const row = { index: i + 1, offset, length, md5Hex: md5(i + 1), acknowledged: i < acked };
    offset += length;
    return row;
  });
}

/** What the server lists after receiving the first n chunks of `rows` (and optionally the completion). */
function server(rows: JournalChunk[], n: number, completion = false): ServerChunk[] {
  const data = rows.slice(0, n).map((r) => ({ id: r.index, length: r.length, hash: r.md5Hex }));
  return completion ? [...data, { id: n + 1, length: 0, hash: EMPTY_MD5_HEX }] : data;
}

const L = [16 * MiB, 16 * MiB, 16 * MiB, 3 * MiB];
const J = journal(L, 2); // chunks 1–2 acknowledged, 3–4 planned
const J3 = journal(L.slice(0, 3), 2); // rows written so far: 1–2 acknowledged, 3 sent without answer
const ALL = journal(L, 4);

function run(partial: Partial<ChunkReconcileInput>): ChunkReconcile {
  return reconcileChunks({
    journal: J,
    server: [],
    jobCompleted: false,
    completionSent: false,
    ...partial,
  });
}

describe('reconcileChunks: go on', () => {
  it.each<[string, Partial<ChunkReconcileInput>, ChunkReconcile]>([
    [
      'a fresh job: nothing sent, nothing held',
      { journal: journal(L, 0), server: [] },
      { kind: 'continue', nextIndex: 1, acknowledge: [], bytesOnServer: 0 },
    ],
    [
      'every acknowledged chunk held',
      { server: server(J, 2) },
      { kind: 'continue', nextIndex: 3, acknowledge: [], bytesOnServer: 32 * MiB },
    ],
    [
      'the ambiguous chunk landed: acknowledge it, do not resend',
      { journal: J3, server: server(J3, 3) },
      { kind: 'continue', nextIndex: 4, acknowledge: [3], bytesOnServer: 48 * MiB },
    ],
    [
      'the ambiguous chunk did not land: resend it',
      { journal: J3, server: server(J3, 2) },
      { kind: 'continue', nextIndex: 3, acknowledge: [], bytesOnServer: 32 * MiB },
    ],
    [
      'several unacknowledged chunks held (an engine that lost its acks)',
      { journal: journal(L, 0), server: server(J, 3) },
      { kind: 'continue', nextIndex: 4, acknowledge: [1, 2, 3], bytesOnServer: 48 * MiB },
    ],
    [
      'hashes in base64 (the OpenAPI spelling)',
      { server: server(J, 2).map((c) => ({ ...c, hash: md5b64(c.id) })) },
      { kind: 'continue', nextIndex: 3, acknowledge: [], bytesOnServer: 32 * MiB },
    ],
    [
      'hashes in upper-case hex',
      { server: server(J, 2).map((c) => ({ ...c, hash: c.hash.toUpperCase() })) },
      { kind: 'continue', nextIndex: 3, acknowledge: [], bytesOnServer: 32 * MiB },
    ],
    [
      'a list in descending order',
      { server: server(J, 2).reverse() },
      { kind: 'continue', nextIndex: 3, acknowledge: [], bytesOnServer: 32 * MiB },
    ],
    [
      'all data held, completion sent but not landed: send it again',
      { journal: ALL, server: server(ALL, 4), completionSent: true },
      { kind: 'continue', nextIndex: 5, acknowledge: [], bytesOnServer: 51 * MiB },
    ],
    [
      'all data held, the last one unacknowledged: next is the completion',
      { journal: journal(L, 3), server: server(ALL, 4) },
      { kind: 'continue', nextIndex: 5, acknowledge: [4], bytesOnServer: 51 * MiB },
    ],
  ])('%s', (_label, input, expected) => {
    expect(run(input)).toEqual(expected);
  });
});

describe('reconcileChunks: completion', () => {
  it.each<[string, Partial<ChunkReconcileInput>, ChunkReconcile['kind']]>([
    [
      'completed, list empty (the guide: no chunks after completion)',
      { journal: ALL, jobCompleted: true, completionSent: true },
      'completed',
    ],
    [
      'completed, full list with the completing chunk',
      { journal: ALL, server: server(ALL, 4, true), jobCompleted: true, completionSent: true },
      'completed',
    ],
    [
      'completing chunk held, job not completed yet',
      { journal: ALL, server: server(ALL, 4, true), completionSent: true },
      'completing',
    ],
    [
      'list empty after completion was sent, job not completed yet',
      { journal: ALL, completionSent: true },
      'completing',
    ],
  ])('%s → %s', (_label, input, kind) => {
    expect(run(input).kind).toBe(kind);
  });
});

describe('reconcileChunks: diverged', () => {
  const renumbered = (ids: number[]) => ids.map((id, i) => ({ ...server(J, 3)[i % 3]!, id }));
  it.each<[string, Partial<ChunkReconcileInput>, string]>([
    [
      'more chunks than journaled',
      { journal: J3, server: server(ALL, 4) },
      'The server holds 4 data chunks; this upload journaled only 3.',
    ],
    ['an id gap', { server: renumbered([1, 3]) }, 'not 1…2 in order (found id 3 at position 2)'],
    [
      'a repeated id',
      { server: renumbered([1, 1]) },
      'not 1…2 in order (found id 1 at position 2)',
    ],
    ['ids from 0', { server: renumbered([0, 1]) }, 'found id 0 at position 1'],
    [
      'a different length',
      { server: server(J, 2).map((c, i) => (i === 1 ? { ...c, length: c.length - 1 } : c)) },
      `Chunk 2 on the server is ${16 * MiB - 1} bytes; this upload sent ${16 * MiB}.`,
    ],
    [
      'a different hash',
      { server: server(J, 2).map((c, i) => (i === 0 ? { ...c, hash: md5(99) } : c)) },
      `Chunk 1 on the server has MD5 "${md5(99)}"; this upload sent ${md5(1)}.`,
    ],
    [
      'an empty hash (sent without Content-MD5, so not by us)',
      { server: server(J, 1).map((c) => ({ ...c, hash: '' })) },
      'Chunk 1 on the server has MD5 ""',
    ],
    [
      'an acknowledged chunk no longer listed',
      { server: server(J, 1) },
      'Chunk 2 was acknowledged by the server earlier but is no longer listed.',
    ],
    ['acknowledged chunks but an empty list', { server: [] }, 'Chunk 1 was acknowledged'],
    [
      'a completing chunk we never sent',
      { journal: ALL, server: server(ALL, 4, true) },
      'completing (zero-length) chunk that this upload never sent',
    ],
    [
      'a zero-length chunk in the middle',
      {
        server: [
          ...server(J, 1),
          { id: 2, length: 0, hash: EMPTY_MD5_HEX },
          { ...server(J, 3)[2]!, id: 3 },
        ],
      },
      'zero-length chunk at id 2, followed by more chunks',
    ],
    [
      'a job completed by someone else',
      { journal: ALL, jobCompleted: true },
      'reports the job completed, but this upload never sent the completing chunk',
    ],
    [
      'completed with a data chunk missing',
      { journal: ALL, server: server(ALL, 3, true), jobCompleted: true, completionSent: true },
      'Chunk 4 was acknowledged',
    ],
    [
      'completed without a completing chunk listed',
      { journal: ALL, server: server(ALL, 4), jobCompleted: true, completionSent: true },
      'lists 4 of the 4 journaled data chunks and no completing chunk',
    ],
    [
      'completed early, before every chunk',
      {
        journal: journal(L, 3),
        server: server(ALL, 3, true),
        jobCompleted: true,
        completionSent: true,
      },
      'lists 3 of the 4 journaled data chunks.',
    ],
    [
      'a completing chunk after only part of the data',
      { journal: journal(L, 3), server: server(ALL, 3, true), completionSent: true },
      'completed after 3 of 4 data chunks',
    ],
  ])('%s', (_label, input, reason) => {
    const result = run(input);
    expect(result.kind).toBe('diverged');
    expect(result.kind === 'diverged' ? result.reason : '').toContain(reason);
  });
});

describe('reconcileChunks: a broken journal is a bug, not a server state', () => {
  it.each<[string, JournalChunk[]]>([
    ['an index gap', J.map((c, i) => (i === 1 ? { ...c, index: 3 } : c))],
    ['an offset gap', J.map((c, i) => (i === 2 ? { ...c, offset: c.offset + 1 } : c))],
    ['a zero-length row', J.map((c, i) => (i === 3 ? { ...c, length: 0 } : c))],
    ['a malformed MD5', J.map((c, i) => (i === 0 ? { ...c, md5Hex: 'xyz' } : c))],
  ])('%s throws internal', (_label, rows) => {
    const err = catchFirmdropError(() => run({ journal: rows }));
    expect(err.code).toBe('internal');
    expect(err.message).toContain('Cancel this upload and start it again.');
  });
});

describe('jobIsCompleted', () => {
  it.each<[Parameters<typeof jobIsCompleted>[0], boolean]>([
    [{ completed: true }, true],
    [{ complete: true }, true],
    [{ status: 'completed' }, true],
    [{ completed: false, complete: false, status: 'in_progress' }, false],
    [{ status: 'not_started' }, false],
    [{ completed: null, complete: null, status: null }, false],
    [{}, false],
  ])('%j → %s', (job, expected) => {
    expect(jobIsCompleted(job)).toBe(expected);
  });
});
