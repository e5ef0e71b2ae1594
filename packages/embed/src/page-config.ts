/**
 * The config as the page gives it: JSON in `<script type="application/json" id="allparty-config">`
 * before the embed. A missing, unparsable or invalid config fails closed: the guard holds every
 * vendor and unregistered host, and the API grants nothing.
 */
import {
  type AllpartyConfig,
  CONFIG_ERRORS_CHUNK,
  type ConfigError,
  chunkFile,
  createGuard,
  formatConfigErrors,
  loadScript,
  parseConfig,
  type VendorDescriptor,
} from '@allparty/core';
import { failClosedApi } from './api';

const CONFIG_ID = 'allparty-config';

/**
 * Reads and parses the page's config. Returns it (after naming any vendor left out for its
 * settings), or null after failing closed when it cannot run.
 */
export function readPageConfig(
  vendors: readonly VendorDescriptor[],
  base: string,
  nonce: string | null,
  host: string,
): AllpartyConfig | null {
  const el = document.getElementById(CONFIG_ID);
  let problem: string | null = null;
  let raw: unknown;
  if (!el)
    problem = `allparty: no <script type="application/json" id="${CONFIG_ID}"> before the allparty script, so no vendor will load (failing closed).`;
  else
    try {
      raw = JSON.parse(el.textContent ?? '');
    } catch (error) {
      problem = `allparty: the config in #${CONFIG_ID} is not valid JSON (${(error as Error).message}), so no vendor will load (failing closed).`;
    }
  const parsed = problem === null ? parseConfig(raw, { vendors }) : null;
  if (parsed?.ok) {
    reportExcluded(raw, parsed.excluded);
    return parsed.config;
  }
  // Fail closed: every vendor and unregistered host is held; the API grants nothing.
  const errors = parsed?.errors ?? [];
  console.error(
    problem ??
      (__EXPLAIN__
        ? formatConfigErrors(errors)
        : `allparty: the config has invalid fields, so no vendor will load (failing closed): ${errors.map((e) => e.path).join(', ')}. Loading the explanations…`),
  );
  const guard = createGuard({
    vendors,
    configured: new Set(),
    isGranted: () => false,
    allow: [host],
    unregistered: 'block',
  });
  guard.install(window);
  window.allparty = failClosedApi(guard);
  // The explanations ("must be true or false", "did you mean") are a lazy chunk: nothing waits for it.
  if (!__EXPLAIN__ && errors.length)
    void loadScript(base + chunkFile(CONFIG_ERRORS_CHUNK), nonce).then((ok) => {
      const message = ok && window.allpartyConfigErrors?.(raw, vendors);
      if (message) console.error(message);
    });
  return null;
}

/**
 * A vendor with invalid settings fails closed alone: left out of the config, it is never offered
 * or granted, its hosts stay held and its tagged elements inert. The console says which setting.
 */
function reportExcluded(raw: unknown, excluded: readonly ConfigError[]): void {
  const invalid = new Map<string, string[]>();
  for (const { path } of excluded) {
    const [, id = '', key = ''] = path.split('.');
    const value = (raw as { vendors: Record<string, Record<string, unknown>> }).vendors[id]?.[key];
    invalid.set(id, [
      ...(invalid.get(id) ?? []),
      `${key} ${value === undefined ? 'missing' : JSON.stringify(value)}`,
    ]);
  }
  for (const [id, problems] of invalid)
    console.error(
      `allparty: the "${id}" settings are invalid, so it is not offered and will not load (${problems.join(', ')})`,
    );
}
