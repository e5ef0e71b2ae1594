// @vitest-environment node
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coverRange, foldRoot } from '../src/index';
import { cli, keys, plainLog, scratch, signer, sqliteLog, storyLog, type TestLog } from './helpers';

const files = scratch();
afterAll(() => files.cleanup());
let n = 0;
const freshDir = () => join(files.dir, `bundle-${n++}`);

const lines = (dir: string) => readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n').slice(0, -1);
const writeLines = (dir: string, list: string[]) =>
  writeFileSync(join(dir, 'records.jsonl'), `${list.join('\n')}\n`);

describe('coverRange and foldRoot', () => {
  it('cover a range with aligned perfect subtrees and refuse gaps', () => {
    expect(coverRange(8, 12)).toEqual([{ level: 2, idx: 2 }]);
    expect(coverRange(3, 12)).toEqual([
      { level: 0, idx: 3 },
      { level: 2, idx: 1 },
      { level: 2, idx: 2 },
    ]);
    const h = Buffer.alloc(32);
    expect(foldRoot([{ level: 0, idx: 1, hash: h }], 2)).toMatch(/starts at 1, not 0/);
    expect(foldRoot([{ level: 0, idx: 0, hash: h }], 2)).toMatch(/cover 1 positions, not 2/);
  });
});

describe('bundles', () => {
  let log: TestLog;
  let dir: string;
  beforeEach(async () => {
    log = await sqliteLog();
    await plainLog(log.store, 12);
    dir = freshDir();
    const r = await cli(['export', ...log.source, '--bundle', dir, '--public-key', files.pem]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/positions 0–11 \(12 records in range\).*anchored to the checkpoint of size 12/);
  });
  afterEach(async () => {
    await log.cleanup();
  });
  const verify = (...extra: string[]) => cli(['verify', dir, '--public-key', files.pem, ...extra]);
  const firstBad = async () => JSON.parse((await verify('--json')).out).firstBad;

  it('holds the records as their exact stored bytes, the hashes, checkpoints, notices, key and a README', async () => {
    for (const f of [
      'README.md',
      'manifest.json',
      'records.jsonl',
      'leaves.txt',
      'tree.json',
      'checkpoints.json',
      'consistency.json',
      'notices.jsonl',
      'public-key.pem',
    ])
      expect(existsSync(join(dir, f)), f).toBe(true);
    const stored = await log.store.recordById(JSON.parse(lines(dir)[4]!).id);
    expect(lines(dir)[4]).toBe(stored!.body.toString('utf8'));
    expect(readFileSync(join(dir, 'public-key.pem'), 'utf8')).toBe(keys.publicKeyPem);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain(
      'npx --package @allparty/audit allparty-audit verify ./THIS-FOLDER --public-key pinned.pem',
    );
    expect(readme).toContain(keys.keyId);
    expect(JSON.parse(readFileSync(join(dir, 'consistency.json'), 'utf8'))).toHaveLength(1);
  });

  it('verifies on its own, with the pinned key, and warns when the key came with it', async () => {
    const r = await verify();
    expect(r.code).toBe(0);
    expect(r.out).toContain('INTACT');
    expect(r.out).toMatch(
      /2 of 2 signatures valid, 2 roots recomputed and matched, 1 consistency proofs checked/,
    );
    const own = await cli(['verify', dir]);
    expect(own.code).toBe(0);
    expect(own.err).toMatch(/warning: the public key was taken from the bundle itself/);
  });

  const tampers: Array<[string, (d: string) => void, number, RegExp]> = [
    [
      'an edited record',
      (d) =>
        writeLines(
          d,
          lines(d).map((l, i) => (i === 5 ? l.replace('"given"', '"refused"') : l)),
        ),
      5,
      /record at position 5 does not match its sealed leaf hash/,
    ],
    [
      'a deleted record',
      (d) =>
        writeLines(
          d,
          lines(d).filter((_, i) => i !== 4),
        ),
      4,
      /position 4/,
    ],
    [
      'an inserted record',
      (d) => {
        const l = lines(d);
        l.splice(6, 0, l[2]!);
        writeLines(d, l);
      },
      6,
      /record at position 6 does not match its sealed leaf hash/,
    ],
    [
      'two records reordered',
      (d) => {
        const l = lines(d);
        [l[3], l[8]] = [l[8]!, l[3]!];
        writeLines(d, l);
      },
      3,
      /record at position 3 does not match/,
    ],
    [
      'a truncated bundle',
      (d) => writeLines(d, lines(d).slice(0, 9)),
      9,
      /the bundle's records end at position 9, but its span and leaf hashes run to 11/,
    ],
    [
      'a record and its leaf hash rewritten together',
      (d) => {
        writeLines(
          d,
          lines(d).map((l, i) => (i === 7 ? l.replace('"given"', '"refused"') : l)),
        );
        const leaves = readFileSync(join(d, 'leaves.txt'), 'utf8').split('\n');
        leaves[7] = leaves[2]!;
        writeFileSync(join(d, 'leaves.txt'), leaves.join('\n'));
      },
      7,
      /record at position 7 does not match its sealed leaf hash/,
    ],
    [
      'a forged checkpoint',
      (d) => {
        const cps = JSON.parse(readFileSync(join(d, 'checkpoints.json'), 'utf8'));
        cps[1].size = 13;
        writeFileSync(join(d, 'checkpoints.json'), JSON.stringify(cps));
      },
      5,
      /checkpoint 2 of 2 .*does not verify under the pinned key .*forged or altered/,
    ],
  ];
  for (const [name, tamper, position, problem] of tampers)
    it(`fails on ${name}, naming position ${position}`, async () => {
      tamper(dir);
      const r = await verify();
      expect(r.code).toBe(1);
      expect(r.out).toContain(`NOT INTACT: first bad position ${position}:`);
      expect((await firstBad()).problem).toMatch(problem);
    });

  it('fails with the wrong key pinned, naming position 0', async () => {
    const r = await cli(['verify', dir, '--public-key', files.otherPem]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/first bad position 0: checkpoint 1 of 2 .*not the pinned key/);
  });

  it('fails when the consistency proofs are removed or altered', async () => {
    writeFileSync(join(dir, 'consistency.json'), '[]');
    expect((await verify()).out).toMatch(/no consistency proof links the checkpoint of size 5/);
  });

  it('exports a time range as a span tied to the checkpoint by its edge hashes, and verifies it', async () => {
    const span = freshDir();
    const r = await cli([
      'export',
      ...log.source,
      '--bundle',
      span,
      '--public-key',
      files.pem,
      '--from',
      '2026-03-01T08:03:00Z',
      '--to',
      '2026-03-01T08:08:00Z',
    ]);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(span, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ span: { from: 3, to: 8 }, treeSize: 12, inRange: 5 });
    expect(lines(span)).toHaveLength(5);
    const ok = await cli(['verify', span, '--public-key', files.pem]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/positions 3–7 recomputed/);
    // An edited edge hash breaks the tie to the signed root.
    const tree = JSON.parse(readFileSync(join(span, 'tree.json'), 'utf8'));
    tree.right[0].hash = tree.left[0];
    writeFileSync(join(span, 'tree.json'), JSON.stringify(tree));
    const bad = JSON.parse((await cli(['verify', span, '--public-key', files.pem, '--json'])).out);
    expect(bad.ok).toBe(false);
    expect(bad.firstBad.problem).toMatch(/positions 5–11 do not match the checkpoint signed at/);
  });

  it('exports and verifies the rest of a pruned log', async () => {
    await log.store.prune(Date.UTC(2026, 2, 1, 8, 5), signer);
    const v = await cli(['verify', ...log.source, '--public-key', files.pem]);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/positions below 5 were pruned/);
    const pruned = freshDir();
    expect((await cli(['export', ...log.source, '--bundle', pruned, '--public-key', files.pem])).code).toBe(
      0,
    );
    const r = await cli(['verify', pruned, '--public-key', files.pem]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/positions 5–11 recomputed/);
  });

  it('refuses to write into a folder that is not empty', async () => {
    const r = await cli(['export', ...log.source, '--bundle', dir, '--public-key', files.pem]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not empty/);
  });
});

describe('commands over a bundle', () => {
  it('show, stats and export read a bundle like a log', async () => {
    const log = await sqliteLog();
    try {
      const story = await storyLog(log.store);
      const dir = freshDir();
      expect((await cli(['export', ...log.source, '--bundle', dir, '--public-key', files.pem])).code).toBe(0);
      const show = await cli(['show', dir, story.alice]);
      expect(show.out).toContain(`subject ${story.alice} — 3 records`);
      expect(show.out).toContain('│ We use cookies and similar tools.');
      const stats = JSON.parse((await cli(['stats', dir, '--json'])).out);
      expect(stats.records).toBe(5);
      expect(stats.violations.entries).toBe(1);
      const exported = await cli(['export', dir, '--format', 'csv']);
      expect(exported.out.trimEnd().split('\r\n')).toHaveLength(6);
      expect((await cli(['receipt', dir, story.a0.id])).code).toBe(2);
    } finally {
      await log.cleanup();
    }
  });
});
