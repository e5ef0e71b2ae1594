/** Builds the report: totals, the hosts seen, and the suggested `allow` list and adapters to add. */
import type {
  AdapterSuggestion,
  AllowSuggestion,
  HostClass,
  HostSummary,
  PageResult,
  ScanReport,
  StateId,
} from './types';

export interface SummaryInput {
  startedAt: string;
  browser: ScanReport['browser'];
  options: ScanReport['options'];
  pages: PageResult[];
  version: string;
}

export function summarize(input: SummaryInput): ScanReport {
  const { pages } = input;
  const hosts = new Map<string, HostSummary>();
  const touch = (c: HostClass, state: StateId, page: string, kind: 'requests' | 'held') => {
    const key = `${c.host}|${c.vendor ?? c.name ?? ''}`;
    let h = hosts.get(key);
    if (!h) {
      h = { ...c, purposes: [...c.purposes], states: [], pages: [], requests: 0, held: 0 };
      hosts.set(key, h);
    }
    // Configured on any page counts as configured.
    h.configured ||= c.configured;
    if (!h.states.includes(state)) h.states.push(state);
    if (!h.pages.includes(page)) h.pages.push(page);
    h[kind]++;
  };

  const adapters = new Map<string, AdapterSuggestion>();
  const suggestAdapter = (c: HostClass, page: string) => {
    let s: AdapterSuggestion | undefined;
    if (c.vendor && !c.configured) {
      const key = `vendor:${c.vendor}`;
      s = adapters.get(key);
      if (!s) {
        s = {
          vendor: c.vendor,
          name: c.name ?? c.vendor,
          purposes: [...c.purposes],
          hosts: [],
          action: 'configure',
          pages: [],
        };
        adapters.set(key, s);
      }
    } else if (!c.vendor && c.tracker && c.name) {
      const key = `entity:${c.name}`;
      s = adapters.get(key);
      if (!s) {
        s = {
          vendor: null,
          name: c.name,
          purposes: [...c.purposes],
          hosts: [],
          action: 'missing',
          pages: [],
        };
        adapters.set(key, s);
      }
    }
    if (!s) return;
    if (!s.hosts.includes(c.host)) s.hosts.push(c.host);
    if (!s.pages.includes(page)) s.pages.push(page);
  };

  const allow = new Map<string, AllowSuggestion>();
  let requests = 0;
  let findings = 0;
  let errors = 0;
  let states = 0;
  for (const page of pages)
    for (const state of page.states) {
      states++;
      requests += state.requests.length;
      findings += state.findings.length;
      if (state.error) errors++;
      const seen: Array<{ c: HostClass; thirdParty: boolean; kind: 'requests' | 'held' }> = [
        ...state.requests.map((r) => ({
          c: r.classification,
          thirdParty: r.thirdParty,
          kind: 'requests' as const,
        })),
        ...state.held.map((h) => ({ c: h.classification, thirdParty: true, kind: 'held' as const })),
      ];
      for (const { c, thirdParty, kind } of seen) {
        touch(c, state.id, page.url, kind);
        suggestAdapter(c, page.url);
        if (thirdParty && !c.tracker && !c.vendor && !c.configured && !allow.has(c.host))
          allow.set(c.host, {
            host: c.host,
            name: c.name,
            category: c.category,
            reason: c.source ? 'known' : 'unknown',
          });
      }
    }
  // A host configured on one page is not suggested from another.
  for (const h of hosts.values()) if (h.configured && !h.vendor) allow.delete(h.host);
  for (const [key, s] of adapters)
    if (
      s.vendor &&
      pages.every((p) => !s.pages.includes(p.url) || p.configuredVendors.includes(s.vendor ?? ''))
    )
      adapters.delete(key);

  return {
    tool: 'allparty-scan',
    version: input.version,
    startedAt: input.startedAt,
    finishedAt: new Date().toISOString(),
    browser: input.browser,
    options: input.options,
    pass: findings === 0 && errors === 0,
    totals: { pages: pages.length, states, requests, findings, errors },
    pages,
    hosts: [...hosts.values()].sort(
      (a, b) => Number(b.tracker) - Number(a.tracker) || a.host.localeCompare(b.host),
    ),
    suggestions: {
      allow: [...allow.values()].sort((a, b) => a.host.localeCompare(b.host)),
      adapters: [...adapters.values()].sort(
        (a, b) => a.action.localeCompare(b.action) || a.name.localeCompare(b.name),
      ),
    },
  };
}
