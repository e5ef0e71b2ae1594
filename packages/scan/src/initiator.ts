/**
 * Initiator chains from the Chrome DevTools Protocol: who asked for a request (a script's stack,
 * the HTML parser, a preload), then who loaded that script, up to the document.
 */
import type { InitiatorStep } from './types';

/** The parts of CDP's `Network.Initiator` we read (playwright-core does not export its protocol types). */
export interface Initiator {
  type: string;
  stack?: StackTrace;
  url?: string;
  lineNumber?: number;
  columnNumber?: number;
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface StackTrace {
  callFrames: CallFrame[];
  parent?: StackTrace;
}

/** Collects `Network.requestWillBeSent` initiators by URL, in order. */
export class InitiatorLog {
  private readonly byUrl = new Map<string, Initiator[]>();
  private readonly first = new Map<string, Initiator>();

  add(url: string, initiator: Initiator): void {
    const list = this.byUrl.get(url);
    if (list) list.push(initiator);
    else this.byUrl.set(url, [initiator]);
    if (!this.first.has(url)) this.first.set(url, initiator);
  }

  /** The next unclaimed initiator of a request to this URL (requests are matched in order). */
  take(url: string): Initiator | undefined {
    return this.byUrl.get(url)?.shift();
  }

  /** The chain for a request's initiator, nearest first; follows scripts to whoever loaded them. */
  chain(initiator: Initiator | undefined): InitiatorStep[] {
    const steps: InitiatorStep[] = [];
    const seen = new Set<string>();
    let cur = initiator;
    for (let depth = 0; cur && depth < 10; depth++) {
      if (cur.type === 'script') {
        const top = frames(cur.stack).find((f) => f.url);
        const url = top?.url ?? cur.url ?? null;
        steps.push({
          type: 'script',
          url,
          line: top ? top.lineNumber + 1 : line(cur.lineNumber),
          column: top ? top.columnNumber + 1 : line(cur.columnNumber),
          function: top?.functionName || null,
        });
        if (!url || seen.has(url)) break;
        seen.add(url);
        cur = this.first.get(url);
      } else {
        // The navigation that loaded the top document ends the chain and says nothing.
        if (cur.type === 'other' && !cur.url && steps.length > 0) break;
        steps.push({
          type: cur.type,
          url: cur.url ?? null,
          line: line(cur.lineNumber),
          column: line(cur.columnNumber),
          function: null,
        });
        if (!cur.url || seen.has(cur.url)) break;
        seen.add(cur.url);
        cur = this.first.get(cur.url);
      }
    }
    return steps;
  }
}

function frames(stack: StackTrace | undefined): CallFrame[] {
  const out: CallFrame[] = [];
  for (let s = stack; s; s = s.parent) out.push(...s.callFrames);
  return out;
}

function line(n: number | undefined): number | null {
  return typeof n === 'number' ? n + 1 : null;
}

/** One line per step: `script https://site/tm.js:12:5 (inject)` ← `parser https://site/:8`. */
export function formatChain(steps: readonly InitiatorStep[]): string {
  if (steps.length === 0) return '(no initiator recorded)';
  return steps
    .map((s) => {
      const where = s.url
        ? `${s.url}${s.line !== null ? `:${s.line}${s.column !== null ? `:${s.column}` : ''}` : ''}`
        : '?';
      return `${s.type} ${where}${s.function ? ` (${s.function})` : ''}`;
    })
    .join(' ← ');
}
