import type { AllpartyConfig } from './config';
import type { PurposeId } from './purposes';
import { sha256 } from './sha256';
import type { VendorDescriptor } from './vendor';

/**
 * One fingerprint per purpose over everything the notice says about it: the site's texts,
 * the notice id and version, and each vendor's name and disclosure. A change to any of them
 * asks again for that purpose — and only that purpose (R9).
 */
export function noticeFingerprints(
  config: AllpartyConfig,
  vendors: readonly VendorDescriptor[],
  purposes: readonly PurposeId[],
): Record<PurposeId, string> {
  const out: Record<PurposeId, string> = {};
  for (const p of purposes) {
    const section = {
      p,
      notice: config.notice,
      texts: config.texts,
      purpose: config.purposes[p] ?? null,
      vendors: vendors
        .filter((v) => (config.vendors[v.id]?.purposes ?? v.purposes).includes(p))
        .map((v) => [v.id, v.legalName, v.disclosure ?? ''])
        .sort(),
    };
    out[p] = sha256(stableStringify(section)).slice(0, 16);
  }
  return out;
}

/** SHA-256 of the exact text a visitor was shown, whitespace runs folded as rendered. */
export function noticeHash(renderedText: string): string {
  return sha256(normalizeNoticeText(renderedText));
}

/** Folds whitespace the way the rendered text reads: runs become one space, ends trimmed. */
export function normalizeNoticeText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** JSON with object keys sorted, so equal values hash equally. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
