/** A progress bar on stderr for long runs: drawn in place, at most ten times a second. */

/** Where the bar is drawn. */
export interface ProgressOutput {
  write(text: string): void;
  columns?: number;
}

/** A progress bar. */
export interface Progress {
  update(done: number, total: number): void;
  /** Clears the bar's line. */
  finish(): void;
}

/** A bar when `enabled`, otherwise one that draws nothing. */
export function progressBar(
  label: string,
  out: ProgressOutput,
  enabled: boolean,
  now = () => performance.now(),
): Progress {
  if (!enabled) return { update() {}, finish() {} };
  const start = now();
  let last = -1;
  let drawn = false;
  return {
    update(done, total) {
      const t = now();
      if (done < total && t - last < 100) return;
      last = t;
      const width = Math.max(10, Math.min(40, (out.columns ?? 80) - label.length - 40));
      const share = total > 0 ? Math.min(1, done / total) : 1;
      const full = Math.round(share * width);
      out.write(
        `\r${label} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(share * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${((t - start) / 1000).toFixed(1)} s`,
      );
      drawn = true;
    },
    finish() {
      if (drawn) out.write('\r\x1b[2K');
    },
  };
}
