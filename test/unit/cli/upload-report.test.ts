import { describe, expect, it } from 'vitest';
import { FirmdropError } from '../../../src-main/core/errors';
import {
  reportNotStarted,
  reportRefused,
  reportUpload,
  succeeded,
} from '../../../src-main/shells/cli/upload-report';
import { problem, snapshot } from './fixtures';

describe('upload reports (the --json objects)', () => {
  it('reports a verified upload with the service figures and no error', () => {
    const r = reportUpload(
      snapshot({
        state: 'done',
        verified: true,
        sha256: 'ab',
        imageId: 'img',
        datafileUrl: 'http://x/img',
        datafileSize: 10,
        datafileChecksum: 'ab',
        errorMessage: 'stale text from an earlier attempt',
      }),
      'prod',
    );
    expect(r).toMatchObject({
      file: '/fw/fw.bin',
      name: 'fw.bin',
      upload_id: '3f2a6c1e-0000-4000-8000-000000000001',
      account: 'prod',
      state: 'done',
      verified: true,
      firmware_image_id: 'img',
      datafile: 'http://x/img',
      datafile_size: 10,
      datafile_checksum: 'ab',
      error: null,
      error_code: null,
    });
    expect(succeeded(r)).toBe(true);
    expect(succeeded({ ...r, verified: false })).toBe(false);
  });

  it('carries a failure with its suggestion, from the live error over the journal text', () => {
    const row = snapshot({
      state: 'failed',
      errorCode: 'name-taken',
      errorMessage: 'journal text',
    });
    expect(reportUpload(row, 'a', problem('live text', 'fw (2)'))).toMatchObject({
      error: 'live text',
      error_code: 'name-taken',
      suggestion: 'fw (2)',
    });
    expect(reportUpload(row, 'a')).toMatchObject({ error: 'journal text', suggestion: null });
  });

  it('reports refused and unsent files without an upload id', () => {
    const refused = reportRefused('/f', 'f', 'a', new FirmdropError('file-empty', 'empty!'));
    expect(refused).toMatchObject({
      state: 'rejected',
      upload_id: null,
      error: 'empty!',
      error_code: 'file-empty',
    });
    expect(reportRefused('/f', 'f', 'a', new Error('boom'))).toMatchObject({
      error: 'boom',
      error_code: 'internal',
    });
    expect(reportNotStarted('/f', 'f', 'a')).toMatchObject({
      state: 'not-started',
      verified: false,
    });
  });
});
