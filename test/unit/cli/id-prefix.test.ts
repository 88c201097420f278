import { describe, expect, it } from 'vitest';
import { IMAGE } from '../../../src-main/shells/cli/find-server-object';
import { pickByPrefix } from '../../../src-main/shells/cli/id-prefix';
import { CliUsageError } from '../../../src-main/shells/cli/usage';

// The list the service gave was longer than the search reads (its bound): neither one match nor
// none is answered as if sure. The 10,000 images it takes to reach the bound are not made here.
describe('pickByPrefix on a search cut short', () => {
  const cut = { complete: false, searched: 10_000 };

  it('one match found is not taken as the only one', () => {
    expect(() => pickByPrefix([{ id: 'abcd1', name: 'fw' }], 'abcd', cut, IMAGE)).toThrow(
      'Only the newest 10000 firmware images were searched for an id starting with "abcd" (the account holds more): give the whole id.',
    );
  });

  it('two found are still ambiguous (exit 2)', () => {
    const two = [
      { id: 'abcd1', name: 'one' },
      { id: 'abcd2', name: 'two' },
    ];
    expect(() => pickByPrefix(two, 'abcd', cut, IMAGE)).toThrow(CliUsageError);
  });
});
