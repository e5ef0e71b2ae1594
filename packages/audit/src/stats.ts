/**
 * `stats` and the report's numbers: one pass over the sealed log, counting by day, decision,
 * method, purpose and jurisdiction, the GPC share, violations, and the time from a vendor's
 * release under a consent to its first request.
 */
import type { ConsentRecord, LoadEvent } from '@allparty/core';
import type { AuditStore } from './source';
import { bump, byCount, idTime, loadsOf, methodLabel, parseRecord, regionLabel, utcDay } from './util';

/** Upper bounds (ms) of the consent-to-load histogram bins; the last bin is open. */
export const DELAY_BINS = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000] as const;

/** One violation as the report lists it. */
export interface ViolationRow {
  seq: number | null;
  record: string;
  subject: string;
  day: string;
  vendor: string;
  host: string;
  via: string;
  t: number;
  /** The load ledger entry's kind (`violation`). */
  kind: string;
}

/** Aggregates over records. */
export interface AuditStats {
  records: number;
  /** Records whose bytes did not parse (a damaged log: run verify). */
  unreadable: number;
  first: number | null;
  last: number | null;
  gpc: number;
  byDay: Array<[string, number]>;
  byEvent: Array<[string, number]>;
  byMethod: Array<[string, number]>;
  byJurisdiction: Array<[string, number]>;
  /** Per purpose: how often it was decided, and granted. */
  byPurpose: Array<{ purpose: string; decided: number; granted: number }>;
  /** Per day and purpose, for the consent-rate chart. */
  purposeDays: Array<{ day: string; purpose: string; decided: number; granted: number }>;
  /** Decisions by method and by jurisdiction, split by event. */
  methodEvents: Array<{ method: string; event: string; count: number }>;
  jurisdictionEvents: Array<{ region: string; event: string; count: number }>;
  /** Load ledger: entries by kind, and the release → first request delay histogram. */
  loads: Array<[string, number]>;
  delays: { bins: Array<{ bin: string; count: number }>; count: number; median: number | null };
  /** Per vendor: median delay from release to first request. */
  vendorDelays: Array<{ vendor: string; count: number; median: number }>;
  violations: {
    entries: number;
    records: number;
    byVendor: Array<[string, number]>;
    byDay: Array<{ day: string; vendor: string; count: number }>;
    /** The most recent ones (at most 200). */
    latest: ViolationRow[];
  };
}

/** Options for {@link collectStats}. */
export interface CollectStatsOptions {
  /** Decision time lower bound, ms (inclusive). */
  from?: number;
  /** Decision time upper bound, ms (exclusive). */
  to?: number;
  onProgress?: (done: number, total: number) => void;
}

function binOf(ms: number): string {
  for (let i = 0; i < DELAY_BINS.length; i++) {
    if (ms < DELAY_BINS[i]!)
      return i === 0 ? `<${DELAY_BINS[0]} ms` : `${label(DELAY_BINS[i - 1]!)}–${label(DELAY_BINS[i]!)}`;
  }
  return `≥${label(DELAY_BINS[DELAY_BINS.length - 1]!)}`;
}
function label(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}
/** Bin labels in order. */
export function delayBinLabels(): string[] {
  return [...DELAY_BINS.map((b) => binOf(b - 0.5)), binOf(Number.POSITIVE_INFINITY)];
}

/** A streaming median estimate over bounded memory: exact up to 100,000 samples, then a reservoir. */
class Sample {
  values: number[] = [];
  seen = 0;
  private state = 0x9e3779b9;
  add(v: number) {
    this.seen++;
    if (this.values.length < 100_000) this.values.push(v);
    else {
      // xorshift: deterministic reservoir sampling, so the same log gives the same report.
      this.state ^= this.state << 13;
      this.state ^= this.state >>> 17;
      this.state ^= this.state << 5;
      const j = (this.state >>> 0) % this.seen;
      if (j < this.values.length) this.values[j] = v;
    }
  }
  median(): number | null {
    if (this.values.length === 0) return null;
    const s = [...this.values].sort((a, b) => a - b);
    return s[Math.floor((s.length - 1) / 2)]!;
  }
}

/** The delay from each vendor's release to its first request within one record's load ledger. */
export function releaseDelays(loads: readonly LoadEvent[]): Array<{ vendor: string; ms: number }> {
  const released = new Map<string, number>();
  const first = new Map<string, number>();
  for (const e of loads) {
    if (!e.vendor || typeof e.t !== 'number') continue;
    if (e.kind === 'release') {
      const k = `${e.vendor}\u0000${e.record ?? ''}`;
      if (!released.has(k)) released.set(k, e.t);
    } else if (e.kind === 'request') {
      const k = `${e.vendor}\u0000${e.record ?? ''}`;
      if (!first.has(k)) first.set(k, e.t);
    }
  }
  const out: Array<{ vendor: string; ms: number }> = [];
  for (const [k, t] of first) {
    const r = released.get(k);
    if (r !== undefined && t >= r) out.push({ vendor: k.slice(0, k.indexOf('\u0000')), ms: t - r });
  }
  return out;
}

/** A collector: feed records in log order with {@link StatsCollector.add}, then read {@link StatsCollector.result}. */
export class StatsCollector {
  private n = 0;
  private bad = 0;
  private first: number | null = null;
  private last: number | null = null;
  private gpc = 0;
  private day = new Map<string, number>();
  private event = new Map<string, number>();
  private method = new Map<string, number>();
  private region = new Map<string, number>();
  private purpose = new Map<string, { decided: number; granted: number }>();
  private purposeDay = new Map<string, { day: string; purpose: string; decided: number; granted: number }>();
  private methodEvent = new Map<string, number>();
  private regionEvent = new Map<string, number>();
  private loadKinds = new Map<string, number>();
  private delayBins = new Map<string, number>();
  private delay = new Sample();
  private vendorDelay = new Map<string, Sample>();
  private vEntries = 0;
  private vRecords = 0;
  private vVendor = new Map<string, number>();
  private vDay = new Map<string, number>();
  private vLatest: ViolationRow[] = [];

  /** Adds one stored record (its bytes, as sealed). */
  addBody(seq: number | null, body: Uint8Array): void {
    const record = parseRecord(body);
    if (!record) {
      this.bad++;
      return;
    }
    this.add(seq, record);
  }

  /** Adds one parsed record. */
  add(seq: number | null, r: ConsentRecord): void {
    const at = idTime(r.id);
    this.n++;
    if (this.first === null || at < this.first) this.first = at;
    if (this.last === null || at > this.last) this.last = at;
    if (r.gpc === true) this.gpc++;
    const day = utcDay(at);
    const method = methodLabel(r.method);
    const region = regionLabel(r);
    bump(this.day, day);
    bump(this.event, r.event);
    bump(this.method, method);
    bump(this.region, region);
    bump(this.methodEvent, `${method}\u0000${r.event}`);
    bump(this.regionEvent, `${region}\u0000${r.event}`);
    for (const [p, granted] of Object.entries(r.purposes)) {
      let c = this.purpose.get(p);
      if (!c) {
        c = { decided: 0, granted: 0 };
        this.purpose.set(p, c);
      }
      c.decided++;
      const key = `${day}\u0000${p}`;
      let d = this.purposeDay.get(key);
      if (!d) {
        d = { day, purpose: p, decided: 0, granted: 0 };
        this.purposeDay.set(key, d);
      }
      d.decided++;
      if (granted === true) {
        c.granted++;
        d.granted++;
      }
    }
    const loads = loadsOf(r);
    let violated = false;
    for (const e of loads) {
      bump(this.loadKinds, e.kind);
      if (e.kind !== 'violation') continue;
      violated = true;
      this.vEntries++;
      const vendor = e.vendor ?? `(unregistered) ${e.host}`;
      bump(this.vVendor, vendor);
      bump(this.vDay, `${day}\u0000${vendor}`);
      this.vLatest.push({
        seq,
        record: r.id,
        subject: r.subject,
        day,
        vendor,
        host: e.host,
        via: e.via,
        t: e.t,
        kind: e.kind,
      });
      if (this.vLatest.length > 400) this.vLatest = this.vLatest.slice(-200);
    }
    if (violated) this.vRecords++;
    for (const { vendor, ms } of releaseDelays(loads)) {
      bump(this.delayBins, binOf(ms));
      this.delay.add(ms);
      let s = this.vendorDelay.get(vendor);
      if (!s) {
        s = new Sample();
        this.vendorDelay.set(vendor, s);
      }
      s.add(ms);
    }
  }

  result(): AuditStats {
    const split = (m: Map<string, number>) =>
      [...m].map(([k, count]) => {
        const i = k.indexOf('\u0000');
        return { a: k.slice(0, i), b: k.slice(i + 1), count };
      });
    return {
      records: this.n,
      unreadable: this.bad,
      first: this.first,
      last: this.last,
      gpc: this.gpc,
      byDay: [...this.day].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      byEvent: byCount(this.event),
      byMethod: byCount(this.method),
      byJurisdiction: byCount(this.region),
      byPurpose: [...this.purpose]
        .map(([purpose, c]) => ({ purpose, ...c }))
        .sort((a, b) => b.decided - a.decided || (a.purpose < b.purpose ? -1 : 1)),
      purposeDays: [...this.purposeDay.values()].sort((a, b) =>
        a.day === b.day ? (a.purpose < b.purpose ? -1 : 1) : a.day < b.day ? -1 : 1,
      ),
      methodEvents: split(this.methodEvent).map(({ a, b, count }) => ({ method: a, event: b, count })),
      jurisdictionEvents: split(this.regionEvent).map(({ a, b, count }) => ({ region: a, event: b, count })),
      loads: byCount(this.loadKinds),
      delays: {
        bins: delayBinLabels().map((bin) => ({ bin, count: this.delayBins.get(bin) ?? 0 })),
        count: this.delay.seen,
        median: this.delay.median(),
      },
      vendorDelays: [...this.vendorDelay]
        .map(([vendor, s]) => ({ vendor, count: s.seen, median: s.median() ?? 0 }))
        .sort((a, b) => b.count - a.count),
      violations: {
        entries: this.vEntries,
        records: this.vRecords,
        byVendor: byCount(this.vVendor),
        byDay: split(this.vDay)
          .map(({ a, b, count }) => ({ day: a, vendor: b, count }))
          .sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0)),
        latest: this.vLatest.slice(-200).reverse(),
      },
    };
  }
}

/** One pass over the sealed log (records decided in [from, to) when given). */
export async function collectStats(
  store: AuditStore,
  options: CollectStatsOptions = {},
): Promise<AuditStats> {
  const c = new StatsCollector();
  const total = await store.treeSize();
  let done = 0;
  const { from, to } = options;
  for await (const rows of store.scan(0, 10_000)) {
    for (const r of rows) {
      if ((from !== undefined && r.at < from) || (to !== undefined && r.at >= to)) continue;
      c.addBody(r.seq, r.body);
    }
    done += rows.length;
    options.onProgress?.(Math.min(done, total), total);
  }
  return c.result();
}

/** Stats as text for the terminal. */
export function formatStats(s: AuditStats): string {
  const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)}%` : '–');
  const num = (n: number) => n.toLocaleString('en-US');
  const lines: string[] = [];
  lines.push(
    `records: ${num(s.records)}${s.first !== null && s.last !== null ? `, decided ${new Date(s.first).toISOString()} … ${new Date(s.last).toISOString()}` : ''}`,
  );
  if (s.unreadable) lines.push(`unreadable records: ${num(s.unreadable)} (run verify)`);
  lines.push(`GPC on: ${pct(s.gpc, s.records)} (${num(s.gpc)})`);
  const table = (title: string, rows: Array<[string, number]>) => {
    lines.push('', `${title}:`);
    const w = Math.max(0, ...rows.map(([k]) => k.length));
    for (const [k, n] of rows)
      lines.push(`  ${k.padEnd(w)}  ${num(n).padStart(10)}  ${pct(n, s.records).padStart(6)}`);
    if (rows.length === 0) lines.push('  (none)');
  };
  table('by day (UTC)', s.byDay);
  table('by decision', s.byEvent);
  table('by method', s.byMethod);
  lines.push('', 'by purpose (granted / decided):');
  const pw = Math.max(0, ...s.byPurpose.map((p) => p.purpose.length));
  for (const p of s.byPurpose)
    lines.push(
      `  ${p.purpose.padEnd(pw)}  ${num(p.granted).padStart(10)} / ${num(p.decided).padEnd(10)} ${pct(p.granted, p.decided).padStart(6)} granted`,
    );
  if (s.byPurpose.length === 0) lines.push('  (none)');
  table('by jurisdiction', s.byJurisdiction);
  lines.push(
    '',
    `load ledger: ${s.loads.map(([k, n]) => `${k} ${num(n)}`).join(', ') || 'no entries'}`,
    `release → first request: ${s.delays.count ? `median ${s.delays.median} ms over ${num(s.delays.count)}` : 'no pairs'}`,
    '',
    `violations: ${num(s.violations.entries)} in ${num(s.violations.records)} records`,
  );
  for (const [v, n] of s.violations.byVendor) lines.push(`  ${v}  ${num(n)}`);
  return `${lines.join('\n')}\n`;
}
