// Reads one Chrome trace of a page load (bench/page-cost/profile.mjs): the page's main thread,
// its scripts (network, compile, run), what the main thread did before first contentful paint,
// and the V8 CPU profile's samples, attributed to the embed's source modules through its
// source map. All times are milliseconds from the navigation's start.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

/** The trace's events of the load of `pageUrl`, and its clock. */
export function loadOf(trace, pageUrl) {
  const events = trace.traceEvents ?? trace;
  const nav = events.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL === pageUrl);
  if (!nav) throw new Error(`trace: no navigationStart for ${pageUrl}`);
  const main = events.filter((e) => e.pid === nav.pid && e.tid === nav.tid);
  const at = (ts) => (ts - nav.ts) / 1000;
  return { events, nav, main, at, pid: nav.pid, navigationId: nav.args.data.navigationId };
}

/** The first timestamp of a named mark of this navigation (firstContentfulPaint, domContentLoadedEventEnd). */
export function markOf(load, name) {
  const e = load.main.find(
    (x) =>
      x.name === name &&
      (x.args?.data?.navigationId ?? load.navigationId) === load.navigationId &&
      x.ts >= load.nav.ts,
  );
  return e ? load.at(e.ts) : null;
}

/**
 * Every script the page ran: when its request was sent and finished, and its main-thread
 * EvaluateScript (wall), with the compile and run inside it (wall and thread time).
 */
export function scriptsOf(load) {
  const sent = new Map();
  const finished = new Map();
  for (const e of load.events) {
    if (e.pid !== load.pid) continue;
    if (e.name === 'ResourceSendRequest') sent.set(e.args.data.url, { id: e.args.data.requestId, ts: e.ts });
    if (e.name === 'ResourceFinish') finished.set(e.args.data.requestId, e.ts);
  }
  const inside = (outer, name, url) =>
    load.main.filter(
      (e) =>
        e.name === name &&
        e.ph === 'X' &&
        e.ts >= outer.ts &&
        e.ts + e.dur <= outer.ts + outer.dur &&
        (e.args?.data?.url ?? e.args?.fileName) === url,
    );
  return load.main
    .filter((e) => e.name === 'EvaluateScript' && e.ph === 'X' && e.args?.data?.url && e.ts >= load.nav.ts)
    .map((e) => {
      const url = e.args.data.url;
      const request = sent.get(url);
      const done = request && finished.get(request.id);
      const compile = inside(e, 'v8.compile', url);
      const run = inside(e, 'v8.run', url);
      const sum = (list, key) => list.reduce((total, x) => total + (x[key] ?? 0), 0) / 1000;
      return {
        url,
        sent: request ? load.at(request.ts) : null,
        finished: done ? load.at(done) : null,
        start: load.at(e.ts),
        end: load.at(e.ts + e.dur),
        wall: e.dur / 1000,
        thread: (e.tdur ?? e.dur) / 1000,
        compile: sum(compile, 'dur'),
        run: sum(run, 'dur'),
        runThread: sum(run, 'tdur'),
      };
    });
}

const CATEGORY = [
  [
    /^(EvaluateScript|FunctionCall|TimerFire|FireAnimationFrame|EventDispatch|RunMicrotasks|v8\.|V8\.(?!GC))/,
    'script',
  ],
  [/^ParseHTML$/, 'parse HTML'],
  [/^(UpdateLayoutTree|Layout|RecalculateStyles)$/, 'style and layout'],
  [/^(Paint|PrePaint|Layerize|Commit|UpdateLayer|CompositeLayers)$/, 'paint'],
  [/GC|garbage/i, 'garbage collection'],
  [/^(ParseAuthorStyleSheet|ParseStyleSheet)$/, 'parse CSS'],
];

/**
 * What the main thread did from navigation start to `until`: self time (wall) per activity, a
 * script's time under its URL's file name, and the time it had no task at all.
 */
export function mainThreadUntil(load, until) {
  const end = load.nav.ts + until * 1000;
  const spans = load.main
    .filter((e) => e.ph === 'X' && e.dur > 0 && e.ts >= load.nav.ts && e.ts < end)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const totals = new Map();
  const add = (key, us) => totals.set(key, (totals.get(key) ?? 0) + us / 1000);
  const stack = [];
  let busy = 0;
  const close = (node) => add(node.label, Math.max(0, node.self));
  for (const e of spans) {
    const stop = Math.min(e.ts + e.dur, end);
    while (stack.length && stack[stack.length - 1].stop <= e.ts) close(stack.pop());
    const parent = stack[stack.length - 1];
    const kind = CATEGORY.find(([re]) => re.test(e.name))?.[1];
    const url = e.args?.data?.url ?? e.args?.fileName;
    // A task of none of these kinds (navigation commit, IPC, the scheduler's own work).
    let label = parent?.label ?? 'other tasks';
    if (kind === 'script' && url) label = `script ${url.replace(/^.*\/(?=[^/]+$)/, '').replace(/\?.*/, '')}`;
    else if (kind && !(kind === 'script' && parent?.label.startsWith('script'))) label = kind;
    if (parent) parent.self -= stop - e.ts;
    else busy += stop - e.ts;
    stack.push({ stop, self: stop - e.ts, label });
  }
  while (stack.length) close(stack.pop());
  return { busy: busy / 1000, idle: until - busy / 1000, activities: Object.fromEntries(totals) };
}

/**
 * V8's compiling inside a span of the main thread (a script's run): the outermost lazy
 * compiles of functions (V8.CompileCode, with the parsing in them) and the source positions
 * collected for stack traces (V8.CollectSourcePositions: the inspector asks for them when a
 * script starts a request while the network log is on; an artefact of measuring), in ms of wall
 * and thread time. Needs the trace category disabled-by-default-v8.compile.
 */
export function compilingIn(load, from, to) {
  const start = load.nav.ts + from * 1000;
  const stop = load.nav.ts + to * 1000;
  const within = load.main.filter((e) => e.ph === 'X' && e.ts >= start && e.ts + e.dur <= stop);
  const outermost = (names) =>
    within.filter(
      (e) =>
        names.includes(e.name) &&
        !within.some(
          (o) =>
            o !== e &&
            names.includes(o.name) &&
            o.ts <= e.ts &&
            o.ts + o.dur >= e.ts + e.dur &&
            o.dur > e.dur,
        ),
    );
  const sum = (list, key) => list.reduce((total, e) => total + (e[key] ?? e.dur), 0) / 1000;
  const lazy = outermost(['V8.CompileCode', 'V8.ParseFunction']);
  const positions = outermost(['V8.CollectSourcePositions']);
  return {
    lazyCompile: sum(lazy, 'dur'),
    lazyCompileThread: sum(lazy, 'tdur'),
    functionsCompiled: within.filter((e) => e.name === 'V8.CompileCode').length,
    sourcePositions: sum(positions, 'dur'),
    sourcePositionsThread: sum(positions, 'tdur'),
  };
}

/** The renderer's V8 CPU profile samples: `{ ts (trace clock), node, line, column }` and the nodes. */
function samplesOf(load) {
  const nodes = new Map();
  const samples = [];
  const profiles = new Map();
  for (const e of load.events) {
    if (e.pid !== load.pid) continue;
    if (e.name === 'Profile') profiles.set(e.id, { t: e.args.data.startTime });
    if (e.name !== 'ProfileChunk') continue;
    const profile = profiles.get(e.id);
    if (!profile) continue;
    const data = e.args.data;
    for (const n of data.cpuProfile?.nodes ?? [])
      nodes.set(`${e.id}:${n.id}`, { ...n, key: `${e.id}:${n.parent}` });
    const ids = data.cpuProfile?.samples ?? [];
    const withPositions = data.lines?.length === ids.length;
    for (const [i, id] of ids.entries()) {
      profile.t += data.timeDeltas[i];
      samples.push({
        ts: profile.t,
        node: `${e.id}:${id}`,
        line: withPositions ? data.lines[i] : null,
        column: withPositions ? data.columns[i] : null,
      });
    }
  }
  samples.sort((a, b) => a.ts - b.ts);
  return { nodes, samples };
}

/**
 * CPU time of the script at `scriptUrl` between `from` and `to` (ms from navigation start) by
 * source module, through `mapFile` when it exists: each sample's time goes to the innermost frame
 * of that script on its stack (a builtin such as JSON.parse counts for the code that called it).
 */
export function attribute(load, scriptUrl, from, to, mapFile) {
  const map = mapFile ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : null;
  const { nodes, samples } = samplesOf(load);
  const start = load.nav.ts + from * 1000;
  const stop = load.nav.ts + to * 1000;
  const byModule = new Map();
  const byFunction = new Map();
  let total = 0;
  for (const [i, s] of samples.entries()) {
    if (s.ts < start || s.ts >= stop) continue;
    const weight = ((samples[i + 1]?.ts ?? s.ts) - s.ts) / 1000;
    let node = nodes.get(s.node);
    const top = node;
    while (node && node.callFrame.url !== scriptUrl) node = nodes.get(node.key);
    total += weight;
    if (!node) {
      const name = top?.callFrame.functionName || '(unknown)';
      const key = /^\((program|idle|garbage collector)\)$/.test(name) ? name : '(outside the script)';
      byModule.set(key, (byModule.get(key) ?? 0) + weight);
      continue;
    }
    // The sample's own position when it is in the script, else the frame's function start.
    const exact = node === top && s.line !== null;
    const line = exact ? s.line - 1 : node.callFrame.lineNumber;
    const column = exact ? s.column - 1 : node.callFrame.columnNumber;
    const where = map?.findEntry(line, column);
    const source = where?.originalSource
      ? where.originalSource
          .replace(/^(\.\.\/)+/, '')
          .replace(/^packages\//, '')
          .replace('/src/', '/')
      : '(no source map)';
    byModule.set(source, (byModule.get(source) ?? 0) + weight);
    const fn = map?.findEntry(node.callFrame.lineNumber, node.callFrame.columnNumber);
    const fnKey = fn?.originalSource
      ? `${fn.originalSource.replace(/^(\.\.\/)+/, '').replace('/src/', '/')}:${fn.originalLine + 1} ${node.callFrame.functionName || '(anonymous)'}`
      : `${node.callFrame.functionName || '(anonymous)'} @${node.callFrame.columnNumber}`;
    byFunction.set(fnKey, (byFunction.get(fnKey) ?? 0) + weight);
  }
  return { total, byModule: Object.fromEntries(byModule), byFunction: Object.fromEntries(byFunction) };
}
