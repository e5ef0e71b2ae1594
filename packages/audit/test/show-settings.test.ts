// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { analyse, formatTimeline, paint } from '../src/show';
import { NOTICE_TEXT, record } from './helpers';

// R16 in `allparty-audit show`: a vendor's live privacy settings, as its adapter read them at
// load, are printed on their ledger row; weaker than the site's minimum is a finding.

function decision(settings: Record<string, boolean | null>, weaker: string[]) {
  const r = record({
    vendors: { posthog: true },
    loads: [
      {
        kind: 'release',
        vendor: 'posthog',
        host: 'us-assets.i.posthog.com',
        via: 'script',
        t: 40,
        record: null,
      },
      {
        kind: 'settings',
        vendor: 'posthog',
        host: '',
        via: 'adapter',
        t: 95,
        record: null,
        settings,
        weaker,
      },
    ],
  });
  return { seq: 0, at: Date.parse(r.clientTime), record: r, noticeText: NOTICE_TEXT, noticeMatches: true };
}

describe('show: live privacy settings (R16)', () => {
  it('prints what was read, and no finding when nothing is weaker', () => {
    const tl = analyse('s1', [decision({ maskInputs: true, maskText: true }, [])]);
    expect(tl.findings).toEqual([]);
    const out = formatTimeline(tl, paint(false));
    expect(out).toMatch(/settings\s+posthog .*maskInputs=true maskText=true$/m);
    expect(out).not.toContain('weaker');
  });

  it('makes a weaker-than-minimum read a finding, and marks the row', () => {
    const d = decision({ maskInputs: true, maskText: false, blockMedia: null }, ['maskText']);
    const tl = analyse('s1', [d]);
    expect(tl.findings).toEqual([
      {
        severity: 'warning',
        record: d.record.id,
        text: "posthog: live privacy settings weaker than the site's minimum (maskText) at +95 ms; the vendor was refused and held (R16)",
      },
    ]);
    const out = formatTimeline(tl, paint(true));
    const row = out.split('\n').find((l) => l.includes('settings') && l.includes('posthog'));
    expect(row).toContain('maskText=false blockMedia=unreadable');
    expect(row).toContain('! weaker than the minimum: maskText');
    expect(row).toContain('\x1b[33m');
  });
});
