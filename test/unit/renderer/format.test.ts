import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatEta,
  formatSpeed,
  percent,
  phaseTone,
  progressFacts,
  regionLabel,
  tierLabel,
} from '../../../src-renderer/lib/format';
import { sampleChunk, uploadView } from './uploads-fixture';

const MiB = 1024 * 1024;

describe('progress formatting', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * MiB)).toBe('5.0 MiB');
    expect(formatBytes(412.35 * MiB)).toBe('412.4 MiB');
    expect(formatBytes(3 * 1024 * MiB)).toBe('3.00 GiB');
  });

  it('formats speed in MiB/s, KiB/s below one MiB/s, and a dash when unknown', () => {
    expect(formatSpeed(11.84 * MiB)).toBe('11.8 MiB/s');
    expect(formatSpeed(300 * 1024)).toBe('300 KiB/s');
    expect(formatSpeed(null)).toBe('—');
    expect(formatSpeed(Number.NaN)).toBe('—');
  });

  it('formats ETA in words a technician reads at a glance', () => {
    expect(formatEta(null)).toBe('');
    expect(formatEta(0.2)).toBe('less than a second left');
    expect(formatEta(13.2)).toBe('13 s left');
    expect(formatEta(80)).toBe('1 min 20 s left');
    expect(formatEta(120)).toBe('2 min left');
    expect(formatEta(3600 + 5 * 60 + 10)).toBe('1 h 5 min left');
    expect(formatEta(7200)).toBe('2 h left');
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe('');
  });

  it('never claims 100% before the last byte, nor NaN for empty files', () => {
    expect(percent(0, 0)).toBe(0);
    expect(percent(999, 1000)).toBe(99);
    expect(percent(1000, 1000)).toBe(100);
    expect(percent(256, 412)).toBe(62);
    expect(percent(-5, 10)).toBe(0);
  });

  it('lists phase, speed, ETA, chunk k of n and bytes for a moving upload', () => {
    const u = uploadView({
      id: 'a',
      phase: 'uploading',
      bytesAcked: 256 * MiB,
      totalBytes: 412 * MiB,
      speed: 11.8 * MiB,
      etaSeconds: 13.2,
      chunk: sampleChunk(26, 42),
    });
    expect(progressFacts(u)).toEqual([
      '62%',
      '11.8 MiB/s',
      '13 s left',
      'chunk 27 of 42',
      '256.0 MiB of 412.0 MiB acknowledged',
    ]);
  });

  it('leaves speed and ETA out for an upload that is not moving', () => {
    const u = uploadView({
      id: 'b',
      phase: 'paused',
      bytesAcked: 84 * MiB,
      totalBytes: 240 * MiB,
      speed: 3 * MiB,
      etaSeconds: 50,
      chunk: sampleChunk(9, 24),
    });
    expect(progressFacts(u)).toEqual([
      '35%',
      'chunk 10 of 24',
      '84.0 MiB of 240.0 MiB acknowledged',
    ]);
  });

  it('gives every phase a tone that matches its meaning', () => {
    expect(phaseTone('done')).toBe('success');
    expect(phaseTone('failed')).toBe('danger');
    expect(phaseTone('waiting-network')).toBe('warning');
    expect(phaseTone('interrupted')).toBe('warning');
    expect(phaseTone('verifying')).toBe('active');
    expect(phaseTone('queued')).toBe('neutral');
  });

  it('names tiers with their image limits and regions by preset', () => {
    expect(tierLabel('0')).toBe('Free tier · 10 images');
    expect(tierLabel('1')).toBe('Commercial · 1,000 images');
    expect(tierLabel(null)).toMatch(/test the account/);
    expect(regionLabel({ region: 'jp', baseUrl: 'x' })).toBe('Japan');
    expect(regionLabel({ region: 'custom', baseUrl: 'https://dm.example' })).toBe(
      'https://dm.example',
    );
  });
});
