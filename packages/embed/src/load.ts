/**
 * Loads one script from beside the embed (`base` + `path`) with the page's CSP nonce, the way
 * every lazy chunk is loaded; resolves false (after saying so) if it failed.
 */
export function loadScript(base: string, path: string, nonce: string | null): Promise<boolean> {
  return new Promise((resolve) => {
    const s = document.createElement('script');
    s.src = base + path;
    if (nonce) s.nonce = nonce;
    s.onload = () => resolve(true);
    s.onerror = () => {
      console.error(`allparty: could not load ${s.src}`);
      resolve(false);
    };
    document.head.appendChild(s);
  });
}
