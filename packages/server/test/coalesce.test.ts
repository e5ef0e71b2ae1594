// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createLookupCoalescer } from '../src/coalesce';

describe('lookup coalescer', () => {
  it('asks once for the keys of every caller in one turn, and answers each with its own keys', async () => {
    const asked: string[][] = [];
    const lookup = createLookupCoalescer(async (keys) => {
      asked.push([...keys]);
      return new Set(keys.filter((k) => k.startsWith('known')));
    });
    const answers = await Promise.all([
      lookup(['known-a', 'new-b']),
      lookup(['new-b', 'known-c']),
      lookup(['new-d']),
    ]);
    expect(asked).toEqual([['known-a', 'new-b', 'known-c', 'new-d']]);
    expect(answers.map((a) => [...a])).toEqual([['known-a'], ['known-c'], []]);
    // A later turn is a new query.
    expect([...(await lookup(['known-e']))]).toEqual(['known-e']);
    expect(asked).toHaveLength(2);
  });

  it('fails every caller of a failed query', async () => {
    const lookup = createLookupCoalescer(async () => {
      throw new Error('store down');
    });
    const results = await Promise.allSettled([lookup(['a']), lookup(['b'])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
