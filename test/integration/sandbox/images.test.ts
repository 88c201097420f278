import { createCipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  api,
  createJob,
  http,
  multipartBody,
  postImage,
  randomData,
  sha256hex,
} from '../../helpers/sandbox-client';
import { useSandbox } from '../../helpers/sandbox-fixture';

const sandbox = useSandbox({
  accounts: [
    { key: 'free', tier: '0' },
    { key: 'commercial', tier: '1' },
    { key: 'quota', tier: '0' },
    { key: 'partner', tier: '2' },
  ],
});

describe('POST /v3/firmware-images/ (multipart)', () => {
  it('creates an image: 201, Location, FirmwareImage fields, exact bytes at datafile', async () => {
    const sb = sandbox();
    const data = randomData(300_000);
    const res = await postImage(sb.url, 'free', {
      data,
      filename: 'fw-1.2.bin',
      name: 'Firmware 1.2',
      description: 'the one',
    });
    expect(res.status).toBe(201);
    const image = res.json;
    expect(image).toMatchObject({
      object: 'firmware-image',
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: 'Firmware 1.2',
      description: 'the one',
      datafile_size: data.length,
      datafile_checksum: sha256hex(data),
      datafile_encryption: false,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
    });
    expect(image.etag).toBe(image.updated_at);
    expect(image).not.toHaveProperty('encrypted_datafile_checksum');
    const location = `${sb.url}/v3/firmware-images/${image.id}/`;
    expect(res.headers.location).toBe(location);
    expect(res.headers['content-location']).toBe(location);
    expect(image.datafile).toBe(`${sb.url}/downloads/${image.id}/fw-1.2.bin`);

    const got = await http(image.datafile); // no API key, like the service's storage URL
    expect(got.status).toBe(200);
    expect(got.headers['content-length']).toBe(String(data.length));
    expect(got.body.equals(data)).toBe(true);

    const again = await api(sb.url, 'free', 'GET', `/v3/firmware-images/${image.id}`);
    expect(again.json).toEqual(image);
  });

  it('takes fields in any order and names the image after its file by default', async () => {
    const sb = sandbox();
    const { body, contentType } = multipartBody({
      data: Buffer.from('abc'),
      filename: 'C:\\fakepath\\auto.bin',
    });
    const res = await http(`${sb.url}/v3/firmware-images/`, {
      method: 'POST',
      headers: { authorization: 'Bearer free', 'content-type': contentType },
      body,
    });
    expect(res.status).toBe(201);
    expect(res.json.name).toBe('auto.bin');
    expect(res.json.description).toBe('');

    const b = 'XyZ';
    const fileFirst = Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="datafile"; filename="f.bin"\r\n\r\nDATA\r\n` +
        `--${b}\r\nContent-Disposition: form-data; name="name"\r\n\r\nnamed-late\r\n` +
        `--${b}\r\nContent-Disposition: form-data; name="datafile_encryption"\r\n\r\ntrue\r\n--${b}--\r\n`,
    );
    const late2 = await http(`${sb.url}/v3/firmware-images`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer free',
        'content-type': `multipart/form-data; boundary=${b}`,
      },
      body: fileFirst,
    });
    expect(late2.status).toBe(201);
    expect(late2.json).toMatchObject({
      name: 'named-late',
      datafile_size: 4,
      datafile_encryption: true,
    });
  });

  it('refuses invalid forms with 400 and the fields at fault', async () => {
    const sb = sandbox();
    const cases: Array<[Parameters<typeof postImage>[2], string]> = [
      [{ data: Buffer.from('x'), name: 'n'.repeat(129) }, 'name'],
      [{ data: Buffer.from('x'), description: 'd'.repeat(2001) }, 'description'],
      [{ data: Buffer.from('x'), datafile_encryption: 'maybe' }, 'datafile_encryption'],
      [{ data: Buffer.alloc(0), name: 'empty' }, 'datafile'],
    ];
    for (const [input, field] of cases) {
      const res = await postImage(sb.url, 'free', input);
      expect(res.status, field).toBe(400);
      expect(res.json).toMatchObject({ code: 400, object: 'error', type: 'validation_error' });
      expect(res.json.fields.map((f: { name: string }) => f.name)).toContain(field);
    }
    // Exactly at the limits is fine (and counts characters, not bytes).
    const ok = await postImage(sb.url, 'free', {
      data: Buffer.from('x'),
      name: 'é'.repeat(128),
      description: 'd'.repeat(2000),
    });
    expect(ok.status).toBe(201);
    await api(sb.url, 'free', 'DELETE', `/v3/firmware-images/${ok.json.id}/`);

    const noFile = await http(`${sb.url}/v3/firmware-images/`, {
      method: 'POST',
      headers: { authorization: 'Bearer free', 'content-type': 'multipart/form-data; boundary=B' },
      body: '--B\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--B--\r\n',
    });
    expect(noFile.status).toBe(400);
    expect(noFile.json.fields).toEqual([{ name: 'datafile', message: 'is required' }]);

    const truncated = await http(`${sb.url}/v3/firmware-images/`, {
      method: 'POST',
      headers: { authorization: 'Bearer free', 'content-type': 'multipart/form-data; boundary=B' },
      body: '--B\r\nContent-Disposition: form-data; name="datafile"; filename="a"\r\n\r\nabc',
    });
    expect(truncated.status).toBe(400);
    expect(truncated.json.message).toMatch(/closing boundary/);

    const notMultipart = await api(sb.url, 'free', 'POST', '/v3/firmware-images/', { name: 'x' });
    expect(notMultipart.status).toBe(400);
    const list = await api(sb.url, 'free', 'GET', '/v3/firmware-images/?name__eq=empty');
    expect(list.json.data).toEqual([]);
  });

  it('refuses a name already used by an image or an upload job with 409', async () => {
    const sb = sandbox();
    expect(
      (await postImage(sb.url, 'commercial', { data: Buffer.from('1'), name: 'taken' })).status,
    ).toBe(201);
    const dup = await postImage(sb.url, 'commercial', { data: Buffer.from('2'), name: 'taken' });
    expect(dup.status).toBe(409);
    expect(dup.json).toMatchObject({ code: 409, object: 'error', type: 'conflict' });
    await createJob(sb.url, 'commercial', { name: 'job-name' });
    const clash = await postImage(sb.url, 'commercial', {
      data: Buffer.from('3'),
      name: 'job-name',
    });
    expect(clash.status).toBe(409);
    expect(clash.json.message).toMatch(/upload job/i);
  });

  it('refuses a body over 100 MiB with 413 from its Content-Length, before reading it', async () => {
    const sb = sandbox();
    const started = Date.now();
    const res = await http(`${sb.url}/v3/firmware-images/`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer free',
        'content-type': 'multipart/form-data; boundary=B',
        'content-length': 100 * 1024 * 1024 + 1,
      },
      write: (req) => req.flushHeaders(), // headers only: the body is never sent
    });
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ code: 413, object: 'error' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('holds 10 images on a free account and refuses the 11th with 403', async () => {
    const sb = sandbox();
    for (let i = 0; i < 10; i++) {
      const res = await postImage(sb.url, 'quota', {
        data: Buffer.from(`img ${i}`),
        name: `q${i}`,
      });
      expect(res.status).toBe(201);
    }
    const full = await postImage(sb.url, 'quota', { data: Buffer.from('one more'), name: 'q10' });
    expect(full.status).toBe(403);
    expect(full.json).toMatchObject({ code: 403, object: 'error' });
    expect(full.json.message).toMatch(/10 images/);
    // A full account cannot start an upload job either (see completion.test.ts for the race).
    const job = await api(sb.url, 'quota', 'POST', '/v3/firmware-images/upload-jobs', {
      name: 'j',
    });
    expect(job.status).toBe(403);
    // Deleting one frees a slot.
    const first = (await api(sb.url, 'quota', 'GET', '/v3/firmware-images/?name__eq=q0')).json
      .data[0];
    expect((await api(sb.url, 'quota', 'DELETE', `/v3/firmware-images/${first.id}/`)).status).toBe(
      204,
    );
    expect((await api(sb.url, 'quota', 'GET', `/v3/firmware-images/${first.id}/`)).status).toBe(
      404,
    );
    expect((await http(first.datafile)).status).toBe(404);
    expect((await postImage(sb.url, 'quota', { data: Buffer.from('x'), name: 'q10' })).status).toBe(
      201,
    );
  });

  it('lets commercial and partner accounts go past 10 images', async () => {
    const sb = sandbox();
    for (const key of ['commercial', 'partner']) {
      for (let i = 0; i < 11; i++) {
        const res = await postImage(sb.url, key, { data: Buffer.from(`${i}`), name: `many-${i}` });
        expect(res.status).toBe(201);
      }
    }
  });

  it('reports the encrypted form of an encrypted image and serves it', async () => {
    const sb = sandbox();
    const data = randomData(70_000);
    const res = await postImage(sb.url, 'partner', {
      data,
      name: 'secret',
      datafile_encryption: true,
    });
    expect(res.status).toBe(201);
    const image = res.json;
    expect(image).toMatchObject({
      datafile_encryption: true,
      datafile_size: data.length,
      datafile_checksum: sha256hex(data),
      encrypted_datafile_size: data.length + 16,
      encrypted_datafile_checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(image.encrypted_datafile_checksum).not.toBe(image.datafile_checksum);
    const got = await http(image.datafile);
    expect(got.body.length).toBe(image.encrypted_datafile_size);
    expect(sha256hex(got.body)).toBe(image.encrypted_datafile_checksum);
    // The stored form is IV || AES-256-CTR(data) under the image's derived key.
    const key = createHash('sha256').update(`firmdrop-sandbox:key:${image.id}`).digest();
    const iv = got.body.subarray(0, 16);
    const plain = createCipheriv('aes-256-ctr', key, iv).update(got.body.subarray(16));
    expect(plain.equals(data)).toBe(true);
  });

  it('deletes with 204 and then answers 404', async () => {
    const sb = sandbox();
    const image = (await postImage(sb.url, 'free', { data: Buffer.from('bye'), name: 'gone' }))
      .json;
    expect((await api(sb.url, 'free', 'DELETE', `/v3/firmware-images/${image.id}`)).status).toBe(
      204,
    );
    expect((await api(sb.url, 'free', 'DELETE', `/v3/firmware-images/${image.id}/`)).status).toBe(
      404,
    );
    expect(
      (await postImage(sb.url, 'free', { data: Buffer.from('again'), name: 'gone' })).status,
    ).toBe(201);
  });
});
