import { beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../../helpers/sandbox-client';
import { api, createJob, postChunk, postImage, sha256hex } from '../../helpers/sandbox-client';
import { useSandbox } from '../../helpers/sandbox-fixture';

const sandbox = useSandbox({ accounts: [{ key: 'k', tier: '1' }] });
const IMAGES = '/v3/firmware-images/';
let images: Json[] = [];

const ids = (page: Json): string[] => page.data.map((i: { id: string }) => i.id);
const get = async (path: string): Promise<Json> => {
  const res = await api(sandbox().url, 'k', 'GET', path);
  expect(res.status, path).toBe(200);
  return res.json;
};

beforeAll(async () => {
  for (let i = 0; i < 7; i++) {
    const res = await postImage(sandbox().url, 'k', {
      data: Buffer.from(`image number ${i}`),
      name: `img-${i}`,
      description: i % 2 === 0 ? 'even' : 'odd',
    });
    images.push(res.json);
  }
  images = images.sort((a, b) => (a.id < b.id ? -1 : 1));
});

describe('lists', () => {
  it('pages through images oldest first with after, has_more and total_count', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Json = await get(
        `${IMAGES}?limit=3&include=total_count${after ? `&after=${after}` : ''}`,
      );
      expect(page).toMatchObject({ object: 'list', limit: 3, order: 'ASC', after, total_count: 7 });
      seen.push(...ids(page));
      if (!page.has_more) break;
      expect(page.data).toHaveLength(3);
      after = page.data[2].id;
    }
    expect(seen).toEqual(images.map((i) => i.id));
    // Creation order, as ids and created_at agree.
    expect(images.map((i) => i.created_at)).toEqual([...images.map((i) => i.created_at)].sort());
  });

  it('pages newest first with order=DESC', async () => {
    const first = await get(`${IMAGES}?order=DESC&limit=4`);
    expect(first.has_more).toBe(true);
    const second = await get(`${IMAGES}?order=desc&limit=4&after=${first.data[3].id}`);
    expect(second.has_more).toBe(false);
    expect([...ids(first), ...ids(second)]).toEqual(images.map((i) => i.id).reverse());
    expect(first).not.toHaveProperty('total_count');
  });

  it('clamps limit to 2–1000 and refuses a malformed limit or order', async () => {
    expect((await get(`${IMAGES}?limit=1`)).limit).toBe(2);
    expect((await get(`${IMAGES}?limit=0`)).data).toHaveLength(2);
    expect((await get(`${IMAGES}?limit=5000`)).limit).toBe(1000);
    expect((await get(IMAGES)).limit).toBe(50);
    const sb = sandbox();
    const bad = await api(sb.url, 'k', 'GET', `${IMAGES}?limit=ten`);
    expect(bad.status).toBe(400);
    expect(bad.json.fields).toEqual([{ name: 'limit', message: expect.any(String) }]);
    expect((await api(sb.url, 'k', 'GET', `${IMAGES}?order=UP`)).status).toBe(400);
  });

  it('filters images by name, checksum, description, size, id and dates', async () => {
    const [a, b, c] = images;
    expect(ids(await get(`${IMAGES}?name__eq=img-3`))).toEqual([
      images.find((i) => i.name === 'img-3').id,
    ]);
    expect(ids(await get(`${IMAGES}?name=img-3`))).toHaveLength(1);
    expect(ids(await get(`${IMAGES}?name__in=img-1,img-2,nope`))).toHaveLength(2);
    expect(ids(await get(`${IMAGES}?name__nin=img-1,img-2`))).toHaveLength(5);
    expect(ids(await get(`${IMAGES}?name__neq=img-1`))).toHaveLength(6);
    const sum = sha256hex(Buffer.from('image number 4'));
    expect((await get(`${IMAGES}?datafile_checksum__eq=${sum}`)).data[0].name).toBe('img-4');
    expect(ids(await get(`${IMAGES}?description__eq=even&include=total_count`))).toHaveLength(4);
    expect(ids(await get(`${IMAGES}?datafile_size__eq=14`))).toHaveLength(7);
    expect(ids(await get(`${IMAGES}?id__eq=${b.id}`))).toEqual([b.id]);
    expect(ids(await get(`${IMAGES}?datafile__eq=${encodeURIComponent(c.datafile)}`))).toEqual([
      c.id,
    ]);
    const since = await get(
      `${IMAGES}?created_at__gte=${b.created_at}&created_at__lte=${c.created_at}`,
    );
    expect(ids(since)).toEqual([b.id, c.id]);
    expect(ids(await get(`${IMAGES}?created_at__lte=${a.created_at}`))).toEqual([a.id]);
    const filter = encodeURIComponent('name__eq=img-5&description__eq=odd');
    expect((await get(`${IMAGES}?filter=${filter}`)).data.map((i: Json) => i.name)).toEqual([
      'img-5',
    ]);
    const counted = await get(`${IMAGES}?description__eq=odd&limit=2&include=total_count`);
    expect(counted).toMatchObject({ total_count: 3, has_more: true });
    const bad = await api(sandbox().url, 'k', 'GET', `${IMAGES}?created_at__gte=yesterday`);
    expect(bad.status).toBe(400);
  });

  it('filters jobs by status and completion, and chunks by length', async () => {
    const sb = sandbox();
    const fresh = await createJob(sb.url, 'k', { name: 'list-fresh' });
    const busy = await createJob(sb.url, 'k', { name: 'list-busy' });
    for (let i = 0; i < 5; i++) await postChunk(sb.url, 'k', busy.id, Buffer.alloc(100 + i));
    const JOBS = '/v3/firmware-images/upload-jobs';
    expect(ids(await get(`${JOBS}?status__eq=not_started`))).toEqual([fresh.id]);
    expect(ids(await get(`${JOBS}?status__in=in_progress,completed`))).toEqual([busy.id]);
    expect(ids(await get(`${JOBS}?complete__eq=false`))).toEqual([fresh.id, busy.id]);
    expect(ids(await get(`${JOBS}?completed__eq=true`))).toEqual([]);
    const chunks = `${JOBS}/${busy.id}/chunks`;
    const page = await get(`${chunks}?limit=2&after=2&include=total_count`);
    expect(page).toMatchObject({ total_count: 5, has_more: true, after: '2' });
    expect(page.data.map((c: Json) => c.id)).toEqual([3, 4]);
    expect((await get(`${chunks}?order=DESC&limit=2`)).data.map((c: Json) => c.id)).toEqual([5, 4]);
    expect((await get(`${chunks}?length__gte=103`)).data.map((c: Json) => c.id)).toEqual([4, 5]);
    expect((await get(`${chunks}?id__in=1,5`)).data.map((c: Json) => c.id)).toEqual([1, 5]);
  });
});
