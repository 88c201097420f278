import { describe, expect, it } from 'vitest';
import { checkFault, Faults, lagJob } from '../../../src-sandbox/faults';

describe('Faults', () => {
  it('fires a fault `times` times, for matching method and path only', () => {
    const f = new Faults({ latencyMs: 0, bandwidth: null });
    f.inject({ kind: 'status', status: 503, method: 'post', path: '/chunks$', times: 2 });
    expect(f.take('GET', '/v3/x/chunks').action).toBeNull();
    expect(f.take('POST', '/v3/x/chunks/1').action).toBeNull();
    expect(f.take('POST', '/v3/x/chunks').action).toMatchObject({ kind: 'status', status: 503 });
    expect(f.pending()).toBe(1);
    expect(f.take('POST', '/v3/y/chunks').action).toMatchObject({ kind: 'status' });
    expect(f.take('POST', '/v3/y/chunks').action).toBeNull();
    expect(f.fired.status).toBe(2);
  });

  it('takes one delay and one other fault per request, earliest first', () => {
    const f = new Faults({ latencyMs: 0, bandwidth: null });
    f.inject({ kind: 'reset', afterBytes: 5 });
    f.inject({ kind: 'status', status: 500 });
    f.inject({ kind: 'delay', ms: 10 });
    f.inject({ kind: 'delay', ms: 20 });
    expect(f.take('GET', '/')).toEqual({ delayMs: 10, action: { kind: 'reset', afterBytes: 5 } });
    expect(f.take('GET', '/')).toEqual({ delayMs: 20, action: { kind: 'status', status: 500 } });
    expect(f.take('GET', '/')).toEqual({ delayMs: 0, action: null });
  });

  it('clear() drops faults and restores the start-up latency and bandwidth', () => {
    const f = new Faults({ latencyMs: 5, bandwidth: 1000 });
    f.inject({ kind: 'append-then-drop', path: /x/ });
    f.setLatency(100);
    f.setBandwidth(null);
    f.clear();
    expect([f.pending(), f.latencyMs, f.bandwidth]).toEqual([0, 5, 1000]);
  });

  it('validates faults given as JSON', () => {
    expect(checkFault({ kind: 'delay', ms: 0 })).toEqual({ kind: 'delay', ms: 0 });
    expect(() => checkFault(null)).toThrow(/object/);
    expect(() => checkFault({ kind: 'status', status: 503.5 })).toThrow(/status/);
    expect(() => checkFault({ kind: 'status', status: 429, retryAfterSeconds: -1 })).toThrow(
      /retryAfter/,
    );
    expect(() => checkFault({ kind: 'delay', ms: 1, method: 5 })).toThrow(/method/);
    expect(() => checkFault({ kind: 'delay', ms: 1, times: 1.5 })).toThrow(/times/);
    expect(() => checkFault({ kind: 'reset' })).toThrow(/afterBytes/);
  });

  it('job-lag: only a GET of one upload job takes it, whatever its matcher says', () => {
    const f = new Faults({ latencyMs: 0, bandwidth: null });
    f.inject({ kind: 'job-lag', lag: 'image', times: 2 });
    const JOB = '/v3/firmware-images/upload-jobs/0123abcd';
    expect(f.take('POST', `${JOB}/chunks`).action).toBeNull();
    expect(f.take('GET', `${JOB}/chunks`).action).toBeNull();
    expect(f.take('GET', '/v3/firmware-images/upload-jobs').action).toBeNull();
    expect(f.take('GET', '/v3/firmware-images/upload-jobs/').action).toBeNull();
    expect(f.take('DELETE', JOB).action).toBeNull();
    expect(f.take('GET', JOB).action).toEqual({ kind: 'job-lag', lag: 'image', times: 2 });
    expect(f.take('GET', `${JOB}/`).action).toMatchObject({ kind: 'job-lag' });
    expect([f.pending(), f.fired['job-lag']]).toEqual([0, 2]);
  });

  it('job-lag: validated, and shows a completed job unsettled (nothing else changes)', () => {
    expect(checkFault({ kind: 'job-lag', lag: 'completion' })).toMatchObject({ lag: 'completion' });
    expect(() => checkFault({ kind: 'job-lag' })).toThrow(/lag must be/);
    expect(() => checkFault({ kind: 'job-lag', lag: 'later' })).toThrow(/lag must be/);
    const done = {
      object: 'upload-job',
      id: 'j1',
      status: 'completed',
      complete: true,
      completed: true,
      firmware_image_id: 'img1',
    };
    expect(lagJob(done, 'image')).toEqual({ ...done, firmware_image_id: '' });
    expect(lagJob(done, 'completion')).toEqual({
      ...done,
      status: 'in_progress',
      complete: false,
      completed: false,
      firmware_image_id: '',
    });
    expect(done.firmware_image_id).toBe('img1'); // a copy, never the record itself
    const running = { ...done, status: 'in_progress', complete: false, completed: false };
    expect(lagJob(running, 'completion')).toBe(running);
    const error = { object: 'error', code: 404 };
    expect(lagJob(error, 'image')).toBe(error);
    expect(lagJob(null, 'image')).toBeNull();
  });
});
