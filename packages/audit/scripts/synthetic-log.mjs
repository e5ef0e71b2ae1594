// A synthetic consent log with realistic shape, for the audit benchmark and the report's browser
// test: deterministic (seeded), written through the ledger's SQLite store in large batches.
// Runs on the built dist/ files of @allparty/ledger.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { canonicalJson, generateCheckpointKeys, openSqliteStore } from '@allparty/ledger';

/** Bump when the generated content changes, so cached logs are rebuilt. */
export const GENERATOR_VERSION = 3;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function uuidv7(ms, rand) {
  const b = new Array(16);
  let t = ms;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  for (let i = 6; i < 16; i++) b[i] = Math.floor(rand() * 256);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.map((x) => HEX[x]).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function subjectId(rand) {
  let s = '';
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let i = 0; i < 22; i++) s += A[Math.floor(rand() * 64)];
  return s;
}

const VENDORS = {
  'google-analytics-4': { purpose: 'analytics', host: 'www.google-analytics.com', via: 'script' },
  hotjar: { purpose: 'replay', host: 'static.hotjar.com', via: 'script' },
  intercom: { purpose: 'chat', host: 'widget.intercom.io', via: 'script' },
  'meta-pixel': { purpose: 'advertising', host: 'connect.facebook.net', via: 'script' },
};
const PURPOSES = ['advertising', 'analytics', 'chat', 'replay'];
const REGIONS = [
  ['US-CA', 0.34],
  ['US-NY', 0.14],
  ['US-TX', 0.1],
  ['DE', 0.1],
  ['FR', 0.07],
  ['GB', 0.07],
  [null, 0.18],
];

export const NOTICES = [
  'We and four partners use cookies and similar tools. Google Analytics measures visits. Meta Pixel measures ads. Hotjar records how you use this page, including what you type (session replay). Intercom runs our chat. Choose Accept all, Reject all, or pick per purpose.',
  'We and four partners use cookies and similar tools. Google Analytics measures visits. Meta Pixel measures ads and shares data with Meta. Hotjar records how you use this page, including what you type (session replay); we mask payment fields. Intercom runs our chat and keeps transcripts for 90 days. Choose Accept all, Reject all, or pick per purpose.',
];

function pick(rand, table) {
  let x = rand();
  for (const [v, p] of table) {
    x -= p;
    if (x < 0) return v;
  }
  return table[table.length - 1][0];
}

/**
 * Writes `records` records spread over `days` days ending at `end` into a new SQLite ledger at
 * `path`, sealed, with a signed checkpoint every `checkpointEvery` records. The private key goes
 * beside it as checkpoint-key.pem (as the server keeps it) and the public key as public-key.pem.
 */
export async function buildSyntheticLog({
  path,
  records,
  days = 90,
  end = Date.UTC(2026, 9, 31),
  seed = 7,
  checkpointEvery = 10_000,
  batch = 20_000,
  origin = 'consent log of shop.example.com',
  onProgress = () => {},
}) {
  const { createHash } = await import('node:crypto');
  const rand = mulberry32(seed);
  const keys = generateCheckpointKeys();
  const signer = { origin, keys, now: () => end + 3_600_000 };
  const store = openSqliteStore({ path });
  const noticeHashes = NOTICES.map((t) => createHash('sha256').update(t).digest('hex'));
  await store.wantNotices(noticeHashes);
  for (let i = 0; i < NOTICES.length; i++) await store.putNotice(noticeHashes[i], NOTICES[i]);
  const start = end - days * 86_400_000;
  // Returning subjects: their last grant, so later records can carry loads that name it.
  const returning = [];
  let made = 0;
  let sinceCheckpoint = 0;
  let checked = 0;
  while (made < records) {
    const n = Math.min(batch, records - made);
    const times = Array.from({ length: n }, (_, i) => {
      const x = (made + i + rand()) / records;
      return Math.floor(start + x * (end - start));
    });
    const entries = [];
    for (const at of times) {
      const day = (at - start) / 86_400_000;
      const late = day > days / 2;
      const id = uuidv7(at, rand);
      const back =
        returning.length > 50 && rand() < 0.3 ? returning[Math.floor(rand() * returning.length)] : null;
      const subject = back ? back.subject : subjectId(rand);
      const region = pick(rand, REGIONS);
      const gpc = rand() < (region === 'US-CA' ? 0.14 : 0.05);
      const r = rand();
      let event;
      let method;
      const purposes = {};
      const vendors = {};
      if (gpc && rand() < 0.5) {
        event = 'gpc-applied';
        method = { type: 'gpc' };
        purposes.advertising = false;
        vendors['meta-pixel'] = false;
      } else if (back && r < 0.08) {
        event = 'withdrawn';
        method = { control: 'save', type: 'control' };
        purposes.replay = false;
        vendors.hotjar = false;
      } else if (r < (late ? 0.52 : 0.6)) {
        event = 'given';
        method =
          rand() < 0.95 ? { control: 'accept-all', type: 'control' } : { type: 'api', userActivation: true };
        for (const p of PURPOSES) purposes[p] = true;
        for (const v of Object.keys(VENDORS)) vendors[v] = true;
      } else if (r < 0.82) {
        event = 'refused';
        method = { control: 'reject-all', type: 'control' };
        for (const p of PURPOSES) purposes[p] = false;
        for (const v of Object.keys(VENDORS)) vendors[v] = false;
      } else {
        event = 'partial';
        method = { control: 'save', type: 'control' };
        for (const p of PURPOSES)
          purposes[p] = rand() < (p === 'analytics' ? 0.8 : p === 'replay' ? (late ? 0.15 : 0.3) : 0.4);
        if (!Object.values(purposes).some(Boolean)) purposes.analytics = true;
        for (const [v, m] of Object.entries(VENDORS)) vendors[v] = purposes[m.purpose];
      }
      const loads = [];
      // The page view before this decision: held attempts, and loads under an earlier grant.
      if (rand() < 0.4)
        loads.push({
          host: 'static.hotjar.com',
          kind: 'held',
          record: null,
          t: Math.round(300 + rand() * 900),
          vendor: 'hotjar',
          via: 'script',
        });
      if (back) {
        let t = Math.round(40 + rand() * 300);
        for (const [v, m] of Object.entries(VENDORS)) {
          if (!back.vendors[v]) continue;
          loads.push({ host: m.host, kind: 'release', record: back.id, t, vendor: v, via: m.via });
          const delay = Math.round(Math.exp(Math.log(120) + (rand() - 0.5) * 3));
          loads.push({ host: m.host, kind: 'request', record: back.id, t: t + delay, vendor: v, via: m.via });
          t += Math.round(rand() * 20);
        }
      }
      // A deploy that put a raw pixel tag above the embed on days 60–62, and rare strays.
      if ((day >= 60 && day < 62 && rand() < 0.02) || rand() < 0.0005)
        loads.push({
          host: 'www.facebook.com',
          kind: 'violation',
          record: null,
          t: Math.round(50 + rand() * 200),
          vendor: 'meta-pixel',
          via: 'img',
        });
      if (rand() < 0.0003)
        loads.push({
          host: 'static.hotjar.com',
          kind: 'violation',
          record: null,
          t: Math.round(60 + rand() * 200),
          vendor: 'hotjar',
          via: 'script',
        });
      const source = region === null ? 'unknown' : rand() < 0.7 ? 'edge-header' : 'config';
      // Keys in sorted order at every level, so JSON.stringify writes canonical JSON (checked below).
      const record = {
        clientTime: new Date(at - Math.round(rand() * 400)).toISOString(),
        controller: { email: 'privacy@shop.example.com', name: 'Example Outdoor Inc.' },
        event,
        gpc,
        id,
        jurisdiction:
          source === 'edge-header'
            ? { header: 'cf-ipcountry', region, source }
            : source === 'config'
              ? { region, source }
              : { region: null, source: 'unknown' },
        ...(loads.length ? { loads } : {}),
        method,
        notice: {
          hash: noticeHashes[late ? 1 : 0],
          id: 'main',
          language: 'en',
          version: late ? '2026-09' : '2026-06',
        },
        page: { origin: 'https://shop.example.com', path: rand() < 0.5 ? '/' : '/products/tent' },
        policy: { url: '/privacy', version: late ? '5' : '4' },
        previous: back ? back.id : null,
        purposes,
        schema: 'allparty.consent-record/1',
        sdk: {
          adapters: {
            'google-analytics-4': '0.1.0',
            hotjar: '0.1.0',
            intercom: '0.1.0',
            'meta-pixel': '0.1.0',
          },
          version: '0.1.0',
        },
        serverTime: new Date(at + 180 + Math.round(rand() * 200)).toISOString(),
        subject,
        vendors,
      };
      const json = JSON.stringify(record);
      if (checked < 2000) {
        checked++;
        if (canonicalJson(record) !== json) throw new Error(`synthetic record is not canonical: ${json}`);
      }
      entries.push({ id, at, subject, body: Buffer.from(json) });
      if (event === 'given' || event === 'partial') {
        if (returning.length < 5000) returning.push({ id, subject, vendors });
        else returning[Math.floor(rand() * returning.length)] = { id, subject, vendors };
      }
    }
    await store.ingest(entries);
    while ((await store.pendingCount()) > 0) await store.seal(batch);
    made += n;
    sinceCheckpoint += n;
    if (sinceCheckpoint >= checkpointEvery || made === records) {
      await store.checkpoint(signer);
      sinceCheckpoint = 0;
    }
    onProgress(made, records);
  }
  await store.close();
  writeFileSync(
    join(dirname(path), 'checkpoint-key.pem'),
    keys.privateKey.export({ format: 'pem', type: 'pkcs8' }),
    {
      mode: 0o600,
    },
  );
  writeFileSync(join(dirname(path), 'public-key.pem'), keys.publicKeyPem);
  return { records, keyId: keys.keyId };
}
