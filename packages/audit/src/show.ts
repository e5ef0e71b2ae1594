/**
 * `show`: one visitor's timeline — every decision with its time, method, the exact notice text
 * shown, purposes and vendors, GPC and jurisdiction — and, from the load ledger, when each
 * vendor first loaded relative to the consent that allowed it.
 */
import { type ConsentRecord, type LoadEvent, UUID } from '@allparty/core';
import { type AuditStore, recordsInRange } from './source';
import { releaseDelays } from './stats';
import { idTime, iso, loadsOf, methodLabel, parseRecord, sha256Hex, UsageError } from './util';

/** One decision in a timeline. */
export interface TimelineDecision {
  seq: number | null;
  /** Decision time from the record id, ms. */
  at: number;
  record: ConsentRecord;
  /** The notice text stored under `record.notice.hash`, or null when the log does not have it. */
  noticeText: string | null;
  /** Whether SHA-256 of the stored text is the hash the record names (null with no text). */
  noticeMatches: boolean | null;
}

/** When a vendor first loaded, and the consent that allowed it. */
export interface VendorFirstLoad {
  vendor: string;
  host: string;
  via: string;
  /** ms since navigation start of its page view. */
  t: number;
  /** The record whose load ledger reported it; the load happened before this record's time. */
  reportedBy: string;
  reportedAt: number;
  /** The record that allowed it, as the browser named it. */
  allowedBy: string | null;
  allowedAt: number | null;
  /** Whether that record granted this vendor (null when it is not in the subject's log). */
  allowedGrants: boolean | null;
  /** ms from the vendor's release under that record to this request, in the same page view. */
  sinceRelease: number | null;
}

/** Something in the timeline an auditor must look at. */
export interface TimelineFinding {
  /** `violation`: the guard saw a request with no earlier grant, or the audit found the load unallowed. */
  severity: 'violation' | 'warning';
  record: string;
  text: string;
}

/** A subject's timeline. */
export interface Timeline {
  subject: string;
  decisions: TimelineDecision[];
  firstLoads: VendorFirstLoad[];
  findings: TimelineFinding[];
}

/** Builds the timeline of the subject named, or of the subject of the record id named. */
export async function buildTimeline(store: AuditStore, subjectOrId: string): Promise<Timeline> {
  let subject = subjectOrId;
  if (UUID.test(subjectOrId.toLowerCase())) {
    const rec = await store.recordById(subjectOrId.toLowerCase());
    if (rec) subject = rec.subject;
  }
  const decisions: TimelineDecision[] = [];
  const notices = new Map<string, string | null>();
  for await (const row of recordsInRange(store, { subject })) {
    const record = parseRecord(row.body);
    if (!record) continue;
    const hash = record.notice.hash;
    if (!notices.has(hash)) notices.set(hash, await store.getNotice(hash));
    const noticeText = notices.get(hash) ?? null;
    decisions.push({
      seq: row.seq,
      at: idTime(record.id),
      record,
      noticeText,
      noticeMatches: noticeText === null ? null : sha256Hex(noticeText) === hash,
    });
  }
  if (decisions.length === 0) throw new UsageError(`no records for subject or record id ${subjectOrId}`);
  return analyse(subject, decisions);
}

/** The load-ledger analysis of a subject's decisions (oldest first). Pure. */
export function analyse(subject: string, decisions: TimelineDecision[]): Timeline {
  const byId = new Map(decisions.map((d) => [d.record.id, d]));
  const findings: TimelineFinding[] = [];
  const firstLoads = new Map<string, VendorFirstLoad>();
  for (const d of decisions) {
    const r = d.record;
    if (d.noticeMatches === false)
      findings.push({
        severity: 'violation',
        record: r.id,
        text: `the notice text stored under ${r.notice.hash} does not hash to it`,
      });
    const loads = loadsOf(r);
    const delays = new Map(releaseDelays(loads).map((x) => [x.vendor, x.ms]));
    const stops = new Map<string, number>();
    for (const e of loads)
      if (e.kind === 'stop' && e.vendor) stops.set(e.vendor, Math.min(e.t, stops.get(e.vendor) ?? e.t));
    for (const e of loads) {
      if (e.kind === 'violation') {
        findings.push({
          severity: 'violation',
          record: r.id,
          text: `violation: a request to ${e.host}${e.vendor ? ` (${e.vendor})` : ''} via ${e.via} at +${e.t} ms with no earlier grant, reported with record ${r.id}`,
        });
        continue;
      }
      if (e.kind === 'settings' && e.weaker?.length) {
        // R16: the adapter refused a vendor whose live settings were weaker than the site's minimum.
        findings.push({
          severity: 'warning',
          record: r.id,
          text: `${e.vendor}: live privacy settings weaker than the site's minimum (${e.weaker.join(', ')}) at +${e.t} ms; the vendor was refused and held (R16)`,
        });
        continue;
      }
      if (e.kind !== 'request' || !e.vendor) continue;
      const stop = stops.get(e.vendor);
      if (stop !== undefined && e.t > stop)
        findings.push({
          severity: 'violation',
          record: r.id,
          text: `${e.vendor}: a request to ${e.host} via ${e.via} at +${e.t} ms, after the vendor was stopped at +${stop} ms in the same page view (R25)`,
        });
      const finding = checkRequest(e, d, decisions, byId);
      if (finding) findings.push({ ...finding, record: r.id });
      if (!firstLoads.has(e.vendor)) {
        const allowed = e.record ? byId.get(e.record) : undefined;
        firstLoads.set(e.vendor, {
          vendor: e.vendor,
          host: e.host,
          via: e.via,
          t: e.t,
          reportedBy: r.id,
          reportedAt: d.at,
          allowedBy: e.record,
          allowedAt: allowed ? allowed.at : e.record ? idTime(e.record) : null,
          allowedGrants: allowed ? allowed.record.vendors[e.vendor] === true : null,
          sinceRelease: e.record ? (delays.get(e.vendor) ?? null) : null,
        });
      }
    }
  }
  return { subject, decisions, firstLoads: [...firstLoads.values()], findings };
}

/** What is wrong with one `request` entry carried by `carrier`, if anything. */
function checkRequest(
  e: LoadEvent,
  carrier: TimelineDecision,
  decisions: readonly TimelineDecision[],
  byId: ReadonlyMap<string, TimelineDecision>,
): Omit<TimelineFinding, 'record'> | null {
  const vendor = e.vendor!;
  const what = `${vendor}: a request to ${e.host} via ${e.via} at +${e.t} ms`;
  if (!e.record)
    return {
      severity: 'warning',
      text: `${what} names no consent record (a one-time load from a click-to-load placeholder, or a grant the log did not receive)`,
    };
  const allowed = byId.get(e.record);
  if (!allowed)
    return {
      severity: 'warning',
      text: `${what} was allowed by record ${e.record}, which is not in this subject's log (pruned, or another subject)`,
    };
  if (allowed.record.vendors[vendor] !== true)
    return {
      severity: 'violation',
      text: `${what} was allowed by record ${e.record}, which does not grant ${vendor}`,
    };
  if (allowed.at > carrier.at)
    return {
      severity: 'violation',
      text: `${what} names record ${e.record}, decided after the record that reported the load`,
    };
  // Loads ride with the next record of their page view, so a load reported after a later
  // withdrawal of the vendor happened after that withdrawal (R25).
  for (const w of decisions) {
    if (w.at <= allowed.at || w.at >= carrier.at) continue;
    if (w.record.vendors[vendor] === false)
      return {
        severity: 'violation',
        text: `${what}, under record ${e.record}, was reported after record ${w.record.id} (${w.record.event}, ${iso(w.at)}) took ${vendor} back (R25)`,
      };
    if (w.record.vendors[vendor] === true) break;
  }
  return null;
}

const mark = (on: boolean) => (on ? '✓' : '✗');

/** Terminal colors, or none. */
export interface Paint {
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

/** ANSI colors when `on`, plain text otherwise. */
export function paint(on: boolean): Paint {
  const wrap = (code: string) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { red: wrap('31'), yellow: wrap('33'), bold: wrap('1'), dim: wrap('2') };
}

function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** The timeline as text. Violations are red when `p` paints. */
export function formatTimeline(tl: Timeline, p: Paint): string {
  const L: string[] = [];
  L.push(
    p.bold(`subject ${tl.subject} — ${tl.decisions.length} record${tl.decisions.length === 1 ? '' : 's'}`),
    '',
  );
  tl.decisions.forEach((d, i) => {
    const r = d.record;
    const marks = (m: Record<string, boolean>) =>
      Object.entries(m)
        .map(([k, v]) => `${k} ${mark(v)}`)
        .join('  ') || '(none)';
    L.push(
      p.bold(`${i + 1}. ${iso(d.at)}  ${r.event.toUpperCase()}  via ${methodLabel(r.method)}`) +
        `   record ${r.id}  ${d.seq === null ? 'pending (not sealed yet)' : `position ${d.seq}`}`,
      `   times      decided ${iso(d.at)} (record id) · client clock ${r.clientTime}${r.serverTime ? ` · log received ${r.serverTime}` : ''}`,
      `   purposes   ${marks(r.purposes)}`,
      `   vendors    ${marks(r.vendors)}`,
      `   GPC        ${r.gpc ? 'on' : 'off'}`,
      `   jurisdiction ${r.jurisdiction.region ?? 'unknown'} (${r.jurisdiction.source}${r.jurisdiction.header ? `: ${r.jurisdiction.header}` : ''})`,
      `   page       ${r.page?.origin ?? ''}${r.page?.path ?? ''}${r.policy ? ` · policy ${r.policy.url} v${r.policy.version}` : ''}${r.expires ? ` · expires ${r.expires}` : ''}`,
      `   notice     ${r.notice.id} v${r.notice.version} (${r.notice.language}) sha256 ${r.notice.hash}`,
    );
    if (d.noticeText === null) L.push(p.yellow('              the log does not hold this notice text'));
    else {
      if (d.noticeMatches === false)
        L.push(p.red('              ✗ the stored text does not hash to this value'));
      for (const line of wrapText(d.noticeText, 90)) L.push(`              │ ${line}`);
    }
    const loads = loadsOf(r);
    if (loads.length) {
      L.push('   load ledger (its page view, before this record was sent):');
      for (const e of loads) {
        const row = `     +${String(e.t).padStart(8)} ms  ${e.kind.padEnd(9)} ${(e.vendor ?? '(unregistered)').padEnd(20)} ${e.host} ${e.via}${e.record ? `  record ${e.record}` : ''}`;
        if (e.kind === 'violation') L.push(p.red(`${row}  ✗ VIOLATION`));
        else if (e.kind !== 'settings') L.push(row);
        else {
          const seen = Object.entries(e.settings ?? {}).map(
            ([k, v]) => `${k}=${v === null ? 'unreadable' : v}`,
          );
          const line = `${row}  ${seen.join(' ')}`;
          L.push(
            e.weaker?.length ? p.yellow(`${line}  ! weaker than the minimum: ${e.weaker.join(', ')}`) : line,
          );
        }
      }
    }
    L.push('');
  });
  L.push(p.bold("vendors' first loads:"));
  if (tl.firstLoads.length === 0) L.push('  none reported');
  for (const f of tl.firstLoads) {
    const allowed = f.allowedBy
      ? `allowed by record ${f.allowedBy}${f.allowedAt !== null ? ` (decided ${iso(f.allowedAt)}` : ''}${f.allowedGrants === null ? ', not in this log)' : f.allowedGrants ? `, ${f.vendor} granted)` : `, ${f.vendor} NOT granted)`}`
      : 'no consent record named';
    const text = `  ${f.vendor}: first request +${f.t} ms into its page view (${f.via} to ${f.host})${f.sinceRelease !== null ? `, ${f.sinceRelease} ms after its release` : ''}; ${allowed}; reported with record ${f.reportedBy} at ${iso(f.reportedAt)}${f.allowedAt !== null ? ', so it happened between the two' : ''}`;
    L.push(f.allowedGrants === false ? p.red(text) : text);
  }
  L.push('', p.bold('findings:'));
  if (tl.findings.length === 0) L.push('  none: every vendor request names a record that granted it');
  for (const f of tl.findings)
    L.push(f.severity === 'violation' ? p.red(`  ✗ ${f.text}`) : p.yellow(`  ! ${f.text}`));
  return `${L.join('\n')}\n`;
}
