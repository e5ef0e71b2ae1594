// The page variants of bench/page-cost.mjs, cut from the demo's shop page
// (examples/site/index.html) so every variant has the same content: the same head, the same
// site CSS, the same body. Only the consent tool and the vendor tags differ. The demo's
// "What allparty did" inspector script is left out of every variant (it reads window.allparty,
// which only two variants have, and is no part of a real shop page); its <pre> stays.
import { readFileSync } from 'node:fs';

/**
 * The variants: a label for the table, whose banner the probe looks for, and the control that
 * accepts everything (to store a return visitor's consent).
 */
export const VARIANTS = {
  bare: { label: 'bare', banner: null, accept: null },
  raw: { label: 'raw snippet', banner: null, accept: null },
  cookieconsent: {
    label: 'cookieconsent',
    banner: 'cookieconsent',
    accept: '#cc-main .cm [data-role="all"]',
  },
  allparty: { label: 'allparty', banner: 'allparty', accept: '[data-allparty-action="accept-all"]' },
  'allparty-site': { label: 'per-site', banner: 'allparty', accept: '[data-allparty-action="accept-all"]' },
};

/**
 * Takes the one piece of the demo page that `pattern` matches out of `html`; fails with what
 * changed, so a reworked demo page breaks the bench loudly instead of measuring something else.
 */
function cut(html, pattern, what) {
  const found = html.match(pattern);
  if (!found) throw new Error(`page-cost: examples/site/index.html has no ${what} any more (${pattern})`);
  return found[0];
}

/** The demo page's parts, read once. */
export function demoParts(file = 'examples/site/index.html') {
  const html = readFileSync(file, 'utf8');
  const head = cut(html, /<head>[\s\S]*?<\/head>/, '<head>');
  const body = cut(html, /<body>[\s\S]*<\/body>/, '<body>');
  const config = cut(
    head,
    /<script type="application\/json" id="allparty-config">([\s\S]*?)<\/script>/,
    'allparty config',
  );
  const inspector = cut(body, /\s*<script>[\s\S]*?<\/script>\s*(?=<\/body>)/, 'inspector script');
  return {
    /** `<meta>`s and `<title>`: everything before the first comment or script. */
    meta: cut(head, /<meta[\s\S]*?<\/title>/, '<meta>/<title>'),
    /** The demo's config JSON (the same vendors and notice the per-site build compiles in). */
    configJson: JSON.parse(config.replace(/^<script[^>]*>|<\/script>$/g, '')),
    configTag: config,
    /** The site's tagged vendor scripts, `type="text/plain" data-allparty=… data-vendor=…`. */
    vendorTags: [...head.matchAll(/<script type="text\/plain"[^>]*><\/script>/g)].map((m) => m[0]),
    /** The first-party tag manager that injects the replay vendor untagged. */
    tagManager: cut(head, /<script src="\/stand-ins\/tag-manager\.js"><\/script>/, 'tag manager'),
    css: cut(head, /<link rel="stylesheet" href="\/site\/site\.css">/, 'site.css link'),
    body: body.replace(inspector, '\n'),
  };
}

/** A vendor tag as the raw snippet a site pastes without any consent tool. */
const raw = (tag) => tag.replace(/ type="text\/plain"| data-allparty="[^"]*"| data-vendor="[^"]*"/g, '');

/**
 * The same tag blocked as cookieconsent's docs say: `type="text/plain"` plus
 * `data-category` (its category is allparty's purpose for the vendor).
 */
const ccBlocked = (tag) => tag.replace(/ data-allparty="([^"]*)" data-vendor="[^"]*"/, ' data-category="$1"');

/**
 * Every variant's HTML. `urls` holds the versioned URLs the server serves: `embed` (generic
 * allparty.js), `siteEmbed` (the per-site build's allparty.js, or null), `siteCss`,
 * `tagManager`, `ccCss`, `ccConfig`.
 */
export function buildPages(parts, urls, port) {
  const doc = (head, body = parts.body) =>
    `<!doctype html>\n<html lang="en">\n<head>\n  ${parts.meta}\n${head.map((h) => `  ${h}\n`).join('')}</head>\n${body}\n</html>\n`.replaceAll(
      '__PORT__',
      String(port),
    );
  const css = parts.css.replace('/site/site.css', urls.siteCss);
  const tagManager = parts.tagManager.replace('/stand-ins/tag-manager.js', urls.tagManager);
  const allpartyHead = (embed, configTag) => [
    ...(configTag ? [configTag] : []),
    `<script src="${embed}"></script>`,
    ...parts.vendorTags,
    tagManager,
    css,
  ];
  const pages = {
    // (a) no consent tool, no vendors.
    bare: doc([css]),
    // (e) no consent tool, the vendors' snippets pasted raw (for navigation → first vendor request).
    raw: doc([...parts.vendorTags.map(raw), tagManager, css]),
    // (b) vanilla-cookieconsent 3.1 as its getting-started page says: its CSS in <head>, a config
    // module at the end of <body> that imports the UMD build and calls CookieConsent.run; vendor
    // tags blocked with type="text/plain" data-category. It cannot hold a script that a first-party
    // tag manager injects, so the tag manager itself is blocked under the vendor it injects (replay).
    cookieconsent: doc(
      [
        `<link rel="stylesheet" href="${urls.ccCss}">`,
        ...parts.vendorTags.map(ccBlocked),
        tagManager.replace('<script ', '<script type="text/plain" data-category="replay" '),
        css,
      ],
      parts.body.replace('</body>', `  <script type="module" src="${urls.ccConfig}"></script>\n</body>`),
    ),
    // (c) allparty's generic embed: the config tag, then the embed, first in <head>, as the docs say.
    allparty: doc(allpartyHead(urls.embed, parts.configTag)),
  };
  // (d) the per-site build has the config compiled in: no config tag.
  if (urls.siteEmbed) pages['allparty-site'] = doc(allpartyHead(urls.siteEmbed, null));
  return pages;
}
