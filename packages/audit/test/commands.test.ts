// @vitest-environment node
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, recordsInRange } from '../src/index';
import {
  append,
  cli,
  NOTICE_HASH,
  NOTICE_TEXT,
  postgresLog,
  record,
  scratch,
  sqliteLog,
  storyLog,
  type TestLog,
} from './helpers';

const files = scratch();
afterAll(() => files.cleanup());
const FILE_PREFIX = `ac_${randomBytes(3).toString('hex')}`;
const RED = '\x1b[31m';

/** Splits RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

for (const [kind, open] of [
  ['sqlite', sqliteLog],
  ['postgres', () => postgresLog(FILE_PREFIX)],
] as const) {
  describe(`commands over ${kind}`, () => {
    let log: TestLog;
    let story: Awaited<ReturnType<typeof storyLog>>;
    beforeAll(async () => {
      log = await open();
      story = await storyLog(log.store);
    });
    afterAll(async () => {
      await log.cleanup();
    });

    describe('show', () => {
      it("prints a subject's decisions with times, methods, notice text, purposes, vendors, GPC and jurisdiction", async () => {
        const r = await cli(['show', ...log.source, story.alice]);
        expect(r.code).toBe(0);
        expect(r.out).toContain(`subject ${story.alice} — 3 records`);
        expect(r.out).toMatch(
          /1\. 2026-03-01T10:00:00\.000Z {2}GIVEN {2}via control:accept-all {3}record \S+ {2}position 0/,
        );
        expect(r.out).toMatch(/2\. 2026-03-01T10:05:00\.000Z {2}WITHDRAWN {2}via control:save/);
        expect(r.out).toMatch(/3\. 2026-03-02T09:00:00\.000Z {2}PARTIAL {2}via api \(user activation\)/);
        expect(r.out).toContain('purposes   analytics ✓  chat ✓  replay ✓');
        expect(r.out).toContain('vendors    google-analytics-4 ✓  hotjar ✓  intercom ✓');
        expect(r.out).toContain('purposes   replay ✗');
        expect(r.out).toContain('GPC        off');
        expect(r.out).toContain('jurisdiction US-CA (edge-header: x-vercel-ip-country-region)');
        expect(r.out).toContain(`notice     main v2026-01 (en) sha256 ${NOTICE_HASH}`);
        // The exact notice text, wrapped on spaces for the terminal.
        const shown = [...r.out.matchAll(/│ (.*)/g)]
          .map((m) => m[1])
          .slice(0, 3)
          .join(' ');
        expect(shown).toBe(NOTICE_TEXT);
        expect(r.out).toContain('log received 2026-03-01T10:00:00.250Z');
        expect(r.out).not.toContain('\x1b[');
      });

      it('tells when each vendor first loaded relative to the consent that allowed it', async () => {
        const r = await cli(['show', ...log.source, story.alice]);
        expect(r.out).toContain(
          `hotjar: first request +1030 ms into its page view (script to static.hotjar.com), 130 ms after its release; allowed by record ${story.a0.id} (decided 2026-03-01T10:00:00.000Z, hotjar granted); reported with record ${story.a1.id} at 2026-03-01T10:05:00.000Z, so it happened between the two`,
        );
        expect(r.out).toMatch(
          /intercom: first request \+1500 ms into its page view \(script to widget\.intercom\.io\); allowed by record/,
        );
      });

      it('finds the violations (the guard saw one; one load came after a withdrawal) and paints them red', async () => {
        const plain = await cli(['show', ...log.source, story.alice]);
        expect(plain.out).toContain(
          `✗ violation: a request to www.google-analytics.com (google-analytics-4) via img at +120 ms with no earlier grant, reported with record ${story.a2.id}`,
        );
        expect(plain.out).toContain(
          `✗ hotjar: a request to static.hotjar.com via script at +300 ms, under record ${story.a0.id}, was reported after record ${story.a1.id} (withdrawn, 2026-03-01T10:05:00.000Z) took hotjar back (R25)`,
        );
        const colored = await cli(['show', ...log.source, story.alice, '--color']);
        const redLines = colored.out.split('\n').filter((l) => l.includes(RED));
        expect(redLines.some((l) => l.includes('✗ violation: a request'))).toBe(true);
        expect(redLines.some((l) => l.includes('(R25)'))).toBe(true);
        expect(redLines.some((l) => l.includes('VIOLATION') && l.includes('www.google-analytics.com'))).toBe(
          true,
        );
        // No red on lines that are not violations.
        expect(redLines.every((l) => /violation|R25|VIOLATION/i.test(l))).toBe(true);
        // On a terminal colors are on by default; --no-color turns them off.
        expect((await cli(['show', ...log.source, story.alice], { stdout: true })).out).toContain(RED);
        expect(
          (await cli(['show', ...log.source, story.alice, '--no-color'], { stdout: true })).out,
        ).not.toContain('\x1b[');
      });

      it('finds the subject from a record id, and says when a timeline has no finding', async () => {
        const byId = await cli(['show', ...log.source, story.a2.id]);
        expect(byId.out).toContain(`subject ${story.alice} — 3 records`);
        const bob = await cli(['show', ...log.source, 'bob-subject-00002']);
        expect(bob.out).toMatch(/REFUSED {2}via control:reject-all/);
        expect(bob.out).toContain('GPC        on');
        expect(bob.out).toContain('jurisdiction DE (config)');
        expect(bob.out).toContain('none: every vendor request names a record that granted it');
        const json = JSON.parse((await cli(['show', ...log.source, story.alice, '--json'])).out);
        expect(json.findings.map((f: { severity: string }) => f.severity)).toEqual([
          'violation',
          'violation',
        ]);
        expect(json.firstLoads[0]).toMatchObject({
          vendor: 'hotjar',
          t: 1030,
          sinceRelease: 130,
          allowedGrants: true,
        });
      });

      it('exits 2 for a subject with no records', async () => {
        const r = await cli(['show', ...log.source, 'nobody-at-all']);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/no records for subject or record id nobody-at-all/);
      });
    });

    describe('stats', () => {
      it('counts by day, decision, method, purpose and jurisdiction, with the GPC share and violations', async () => {
        const r = await cli(['stats', ...log.source, '--json']);
        expect(r.code).toBe(0);
        const s = JSON.parse(r.out);
        expect(s.records).toBe(5);
        expect(s.gpc).toBe(2);
        expect(s.byDay).toEqual([
          ['2026-03-01', 3],
          ['2026-03-02', 2],
        ]);
        expect(Object.fromEntries(s.byEvent)).toEqual({
          given: 1,
          withdrawn: 1,
          refused: 1,
          partial: 1,
          'gpc-applied': 1,
        });
        expect(Object.fromEntries(s.byMethod)).toEqual({
          'control:accept-all': 1,
          'control:save': 1,
          'control:reject-all': 1,
          'api (user activation)': 1,
          gpc: 1,
        });
        expect(Object.fromEntries(s.byJurisdiction)).toEqual({ 'US-CA': 3, DE: 1, unknown: 1 });
        expect(s.byPurpose).toEqual([
          { purpose: 'analytics', decided: 3, granted: 2 },
          { purpose: 'replay', decided: 3, granted: 1 },
          { purpose: 'advertising', decided: 1, granted: 0 },
          { purpose: 'chat', decided: 1, granted: 1 },
        ]);
        expect(Object.fromEntries(s.loads)).toEqual({
          held: 1,
          release: 1,
          request: 3,
          stop: 1,
          violation: 1,
        });
        expect(s.delays.count).toBe(1);
        expect(s.delays.median).toBe(130);
        expect(s.delays.bins.find((b: { count: number }) => b.count === 1).bin).toBe('100 ms–250 ms');
        expect(s.violations).toMatchObject({ entries: 1, records: 1, byVendor: [['google-analytics-4', 1]] });
      });

      it('prints them as text, and limits them to a time range', async () => {
        const r = await cli(['stats', ...log.source]);
        expect(r.out).toContain('records: 5, decided 2026-03-01T10:00:00.000Z … 2026-03-02T09:01:00.000Z');
        expect(r.out).toContain('GPC on: 40.0% (2)');
        expect(r.out).toMatch(/analytics\s+2 \/ 3\s+66\.7% granted/);
        expect(r.out).toMatch(/violations: 1 in 1 records\n\s+google-analytics-4\s+1/);
        const day2 = JSON.parse((await cli(['stats', ...log.source, '--json', '--from', '2026-03-02'])).out);
        expect(day2.records).toBe(2);
        const none = JSON.parse((await cli(['stats', ...log.source, '--json', '--to', '2026-02-01'])).out);
        expect(none.records).toBe(0);
      });
    });

    describe('export', () => {
      it('writes JSONL: each record as its exact stored bytes, then the notice texts', async () => {
        const r = await cli(['export', ...log.source]);
        expect(r.code).toBe(0);
        const lines = r.out.trimEnd().split('\n');
        expect(lines).toHaveLength(6);
        const first = JSON.parse(lines[0]!);
        expect(first).toMatchObject({ type: 'record', position: 0 });
        const stored = await log.store.recordById(story.a0.id);
        expect(lines[0]).toBe(`{"type":"record","position":0,"record":${stored!.body.toString('utf8')}}`);
        expect(JSON.parse(lines[5]!)).toEqual({ type: 'notice', hash: NOTICE_HASH, text: NOTICE_TEXT });
        expect(r.err).toContain('exported 5 records and 1 notice texts');
      });

      it('writes CSV with the notice text in each row, for a time range, to a file', async () => {
        const out = join(files.dir, `export-${kind}.csv`);
        const r = await cli([
          'export',
          ...log.source,
          '--format',
          'csv',
          '--from',
          '2026-03-01T10:04:00Z',
          '--to',
          '2026-03-02',
          '--out',
          out,
        ]);
        expect(r.code).toBe(0);
        const rows = parseCsv(readFileSync(out, 'utf8'));
        expect(rows[0]).toEqual([...CSV_COLUMNS]);
        expect(rows).toHaveLength(3);
        const col = (name: string) => CSV_COLUMNS.indexOf(name as (typeof CSV_COLUMNS)[number]);
        const [a1, b0] = [rows[1]!, rows[2]!];
        expect(a1[col('id')]).toBe(story.a1.id);
        expect(a1[col('event')]).toBe('withdrawn');
        expect(a1[col('purposes_refused')]).toBe('replay');
        expect(a1[col('loads')]).toBe('4');
        expect(b0[col('gpc')]).toBe('true');
        expect(b0[col('jurisdiction')]).toBe('DE');
        expect(b0[col('method')]).toBe('control:reject-all');
        expect(b0[col('notice_text')]).toBe(NOTICE_TEXT);
      });

      it('refuses an unknown format', async () => {
        const r = await cli(['export', ...log.source, '--format', 'xml']);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/jsonl or csv/);
      });
    });

    describe('report', () => {
      it('writes one self-contained HTML file with charts drawn as SVG, and the verification result', async () => {
        const out = join(files.dir, `report-${kind}.html`);
        const r = await cli(['report', ...log.source, '--out', out, '--verify', '--public-key', files.pem]);
        expect(r.code).toBe(0);
        expect(r.out).toContain('(5 records)');
        const html = readFileSync(out, 'utf8');
        // rates, methods, jurisdictions, delays, vendor delays, violations, volume (+ legend swatches)
        expect((html.match(/<svg[\s>]/g) ?? []).length).toBeGreaterThanOrEqual(7);
        expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
        expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
        expect(html).toContain("default-src 'none'");
        expect(html).toContain('✓ Intact');
        for (const label of [
          'analytics',
          'replay',
          'control:accept-all',
          'US-CA',
          'DE',
          'google-analytics-4',
        ])
          expect(html).toContain(label);
        expect(html).toMatch(/violations<b>1<\/b>in 1 records/);
      });

      it('needs --out', async () => {
        expect((await cli(['report', ...log.source])).code).toBe(2);
      });
    });

    describe('receipt', () => {
      it('makes a receipt that verify-receipt accepts, as JSON and as HTML', async () => {
        const json = join(files.dir, `receipt-${kind}.json`);
        const html = join(files.dir, `receipt-${kind}.html`);
        expect(
          (await cli(['receipt', ...log.source, story.a0.id, '--public-key', files.pem, '--out', json])).code,
        ).toBe(0);
        expect(
          (await cli(['receipt', ...log.source, story.a0.id, '--public-key', files.pem, '--out', html])).code,
        ).toBe(0);
        const receipt = JSON.parse(readFileSync(json, 'utf8'));
        expect(receipt.proof).toMatchObject({ leafIndex: 0, treeSize: 5 });
        expect(receipt.summary[0]).toBe(
          'On 2026-03-01 at 10:00:00 UTC, on https://shop.example.com/checkout, you chose “Accept all” (given).',
        );
        for (const file of [json, html]) {
          const r = await cli(['verify-receipt', file, '--public-key', files.pem]);
          expect(r.code).toBe(0);
          expect(r.out).toMatch(
            /^VALID: record \S+ is at position 0 of the log "audit test log" \(5 entries/,
          );
          expect(r.out).toContain('matches the pinned key');
        }
        const wrong = await cli(['verify-receipt', json, '--public-key', files.otherPem]);
        expect(wrong.code).toBe(1);
        expect(wrong.out).toMatch(/INVALID: the receipt is signed with key SHA256:\S+, not the pinned key/);
      });

      it('refuses a record that does not exist', async () => {
        const r = await cli([
          'receipt',
          ...log.source,
          '01234567-0000-7000-8000-000000000000',
          '--public-key',
          files.pem,
        ]);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/no record/);
      });
    });
  });
}

describe('recordsInRange', () => {
  it('pages through every record exactly once, even when a page is all one millisecond', async () => {
    const log = await sqliteLog();
    try {
      const at = Date.UTC(2026, 4, 1);
      const same = Array.from({ length: 7 }, () => record({}, at));
      const later = Array.from({ length: 4 }, (_, i) => record({}, at + 1 + i));
      await append(log.store, [...same, ...later]);
      const seen: string[] = [];
      for await (const r of recordsInRange(log.store, {}, 3)) seen.push(r.id);
      expect(seen).toHaveLength(11);
      expect(new Set(seen).size).toBe(11);
      const ranged: string[] = [];
      for await (const r of recordsInRange(log.store, { from: at + 1, to: at + 3 }, 1)) ranged.push(r.id);
      expect(ranged.sort()).toEqual(
        later
          .slice(0, 2)
          .map((r) => r.id)
          .sort(),
      );
    } finally {
      await log.cleanup();
    }
  });
});
