/** Cryptographically random bytes (Web Crypto; present in browsers and Node 20). */
function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/**
 * A UUIDv7 (RFC 9562): 48-bit ms timestamp then random bits, so record ids sort by time
 * and a retried record keeps its id (idempotent ingest).
 */
export function uuidv7(now: number = Date.now()): string {
  const b = randomBytes(16);
  let t = now;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A pseudonymous subject id: 128 random bits, base64url. Means nothing outside this site. */
export function subjectId(): string {
  return base64url(randomBytes(16));
}

/** Bytes as unpadded base64url. */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A UUID as records carry it (lowercase hex): a record id, a previous record id. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUIDv7 (RFC 9562), the form {@link uuidv7} makes: what a new record's id must be. */
export const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * A subject id as stored and recorded: base64url, 8 to 64 characters ({@link subjectId} makes
 * 22; the bounds leave room for a site's own ids without letting other text in).
 */
export const SUBJECT_ID = /^[A-Za-z0-9_-]{8,64}$/;
