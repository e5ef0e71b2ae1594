import hints from 'virtual:tracker-hints';

const PURPOSE: Record<string, string> = {
  ad: 'advertising',
  analytics: 'analytics',
  social: 'advertising',
  'customer-success': 'chat',
  'tag-manager': 'analytics',
  video: 'video',
  marketing: 'advertising',
};

/**
 * Debug builds only: names a known tracker for an unregistered host, from the
 * third-party-web dataset (MIT), compiled in at build time.
 */
export function recognizeTracker(host: string): string | null {
  for (let h = host; h.includes('.'); h = h.slice(h.indexOf('.') + 1)) {
    const hit = hints[h];
    if (hit) {
      const [name, category] = hit;
      return `third-party-web knows it as ${name} (${category}); it is a "${PURPOSE[category] ?? category}" vendor.`;
    }
  }
  return null;
}
