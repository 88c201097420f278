import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src-sandbox/api-error';
import type { FilterFields } from '../../../src-sandbox/lists';
import { listPage, parseListQuery, parseTimestamp } from '../../../src-sandbox/lists';

const fields: FilterFields = {
  name: 'string',
  size: 'number',
  done: 'boolean',
  created_at: 'date',
  hash: 'md5',
};
const q = (query: string) => parseListQuery(new URLSearchParams(query), fields);
const items = Array.from({ length: 5 }, (_, i) => ({
  id: `id${i}`,
  name: `n${i}`,
  size: i * 10,
  done: i % 2 === 0,
  created_at: `2024-01-0${i + 1}T00:00:00.000000Z`,
  hash: i === 3 ? 'f054bbd2f5ebab9cb557100000c50c02' : '',
}));

describe('parseTimestamp', () => {
  it('reads the three forms the spec allows, to the microsecond', () => {
    const base = Date.UTC(2016, 10, 30, 16, 25, 12) * 1000;
    expect(parseTimestamp('2016-11-30T16:25:12.1234Z')).toBe(base + 123_400);
    expect(parseTimestamp('2016-11-30T16:25:12.123456Z')).toBe(base + 123_456);
    expect(parseTimestamp('2016-11-30T16:25:12Z')).toBe(base);
    expect(parseTimestamp('20161130T162512Z')).toBe(base);
    expect(parseTimestamp('2016-11-30 16:25:12')).toBeNull();
  });
});

describe('parseListQuery and listPage', () => {
  it('defaults to 50 ascending and clamps the limit to 2–1000', () => {
    expect(q('')).toMatchObject({
      limit: 50,
      order: 'ASC',
      after: null,
      includeTotal: false,
      filters: [],
    });
    expect(q('limit=1').limit).toBe(2);
    expect(q('limit=-3').limit).toBe(2);
    expect(q('limit=1001').limit).toBe(1000);
    expect(q('include=foo,total_count').includeTotal).toBe(true);
  });

  it('names each malformed parameter in one 400', () => {
    try {
      q('limit=x&order=sideways&size__eq=big&done=maybe&name__lte=a');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).fields.map((f) => f.name)).toEqual([
        'limit',
        'order',
        'size__eq',
        'done',
        'name__lte',
      ]);
    }
  });

  it('pages by id in either order; after need not name an existing item', () => {
    const page = listPage(items, q('limit=2'), fields);
    expect(page).toMatchObject({ object: 'list', has_more: true, after: null, limit: 2 });
    expect(page.data.map((i) => i.id)).toEqual(['id0', 'id1']);
    expect(listPage(items, q('limit=2&after=id1'), fields).data.map((i) => i.id)).toEqual([
      'id2',
      'id3',
    ]);
    expect(listPage(items, q('limit=2&after=id3'), fields).has_more).toBe(false);
    expect(listPage(items, q('after=id1x'), fields).data.map((i) => i.id)).toEqual([
      'id2',
      'id3',
      'id4',
    ]);
    expect(listPage(items, q('order=DESC&after=id2'), fields).data.map((i) => i.id)).toEqual([
      'id1',
      'id0',
    ]);
    expect(listPage(items, q('after=id4'), fields)).toMatchObject({ data: [], has_more: false });
  });

  it('filters with eq, neq, in, nin, lte and gte, and counts the filtered total', () => {
    const ids = (query: string) => listPage(items, q(query), fields).data.map((i) => i.id);
    expect(ids('name__eq=n2')).toEqual(['id2']);
    expect(ids('name=n2')).toEqual(['id2']);
    expect(ids('name__neq=n2')).toHaveLength(4);
    expect(ids('size__in=0,40,99')).toEqual(['id0', 'id4']);
    expect(ids('size__nin=0,40')).toEqual(['id1', 'id2', 'id3']);
    expect(ids('size__gte=20&size__lte=30')).toEqual(['id2', 'id3']);
    expect(ids('done__eq=true')).toEqual(['id0', 'id2', 'id4']);
    expect(ids('created_at__gte=20240104T000000Z')).toEqual(['id3', 'id4']);
    expect(ids('hash__eq=8FS70vXrq5y1VxAAAMUMAg==')).toEqual(['id3']); // base64, as in the spec's example
    expect(ids(`filter=${encodeURIComponent('name__in=n1,n3&done=false')}`)).toEqual([
      'id1',
      'id3',
    ]);
    expect(ids('unknown__eq=1')).toHaveLength(5);
    const counted = listPage(items, q('done=false&include=total_count&limit=2'), fields);
    expect(counted).toMatchObject({ total_count: 2, has_more: false });
  });
});
