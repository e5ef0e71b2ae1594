import type { Route } from 'playwright-core';

/** A 1×1 transparent GIF. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Answers a request locally: the stand-in for a vendor (or any other non-target host). */
export async function standIn(route: Route): Promise<void> {
  const req = route.request();
  const origin = req.headers().origin;
  const cors: Record<string, string> = origin
    ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' }
    : { 'access-control-allow-origin': '*' };
  const host = new URL(req.url()).hostname;
  const type = req.resourceType();
  try {
    if (req.method() === 'OPTIONS')
      return await route.fulfill({
        status: 204,
        headers: { ...cors, 'access-control-allow-methods': '*', 'access-control-allow-headers': '*' },
      });
    if (type === 'script')
      return await route.fulfill({
        contentType: 'text/javascript',
        headers: cors,
        body: `/* allparty-scan stand-in for ${host} */`,
      });
    if (type === 'image') return await route.fulfill({ contentType: 'image/gif', headers: cors, body: GIF });
    if (type === 'document')
      return await route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>stand-in</title><p>allparty-scan stand-in for ${host}</p>`,
      });
    if (type === 'stylesheet')
      return await route.fulfill({ contentType: 'text/css', headers: cors, body: '' });
    return await route.fulfill({ status: 204, headers: cors, body: '' });
  } catch {
    // the page went away while we answered
  }
}
