import { describe, expect, it } from 'vitest';
import { toSearchParams } from '../../../src-main/dm/query';
import { caught } from './catch';

describe('toSearchParams', () => {
  it('writes paging, include and typed filters, joining lists with commas', () => {
    const params = toSearchParams({
      limit: 1000,
      after: '0165',
      order: 'DESC',
      include: 'total_count',
      name__eq: 'fw 1&2',
      name__in: ['a', 'b'],
      datafile_size__eq: 27,
    });
    expect(params.toString()).toBe(
      'after=0165&datafile_size__eq=27&include=total_count&limit=1000&name__eq=fw+1%262&name__in=a%2Cb&order=DESC',
    );
  });

  it('writes booleans (complete__eq) and skips undefined values', () => {
    expect(toSearchParams({ complete__eq: false, after: undefined }).toString()).toBe(
      'complete__eq=false',
    );
    expect(toSearchParams(undefined).toString()).toBe('');
  });

  it.each([1, 1001, 2.5, Number.NaN])('refuses limit %d', async (limit) => {
    const err = await caught(() => toSearchParams({ limit }));
    expect(err.code).toBe('invalid-input');
  });
});
