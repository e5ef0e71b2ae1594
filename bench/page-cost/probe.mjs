// What bench/page-cost.mjs measures inside the page, installed before the page's first script
// (Playwright's addInitScript). Every variant runs the same probe. Times are from navigation
// start (performance.timeOrigin), like FCP and LCP.
//
// Banner visible: an animation-frame loop looks for the banner's root in each frame's
// animation-frame callbacks, which run when the main thread starts to render that frame; the
// first frame where the root has a box inside the viewport and is neither visibility:hidden nor
// opacity:0 (checkVisibility) is the frame that paints it. `banner` is performance.now() in that
// callback. The runner reports max(banner, FCP): the banner is text, so a frame showing it is a
// contentful paint and it cannot be on screen before FCP (allparty's first layer is in the first
// frame the page paints; that frame's callback runs before its paint, FCP's time is after).
// For a banner that comes later (cookieconsent's), the figure leaves out that one frame's style,
// layout and paint: a few ms, tens under 4x CPU throttling, in cookieconsent's favour. Also kept:
// `bannerFrame`, the rAF timestamp (the frame's scheduled start, which can be long before the
// callback runs on a busy main thread), and `bannerRendered`, when a message posted from that
// callback ran (after the frame's rendering and whatever tasks were queued before it).
// A screencast (CDP Page.startScreencast) would see the pixels, but it encodes an image per frame
// on this 2-core machine under 4x CPU throttling and would slow the very pages it measures; the
// loop costs a querySelector per frame, the same in every variant.
//
// LCP of the page's own content: largest-contentful-paint entries whose element is inside the
// banner (allparty's #allparty-ui host, cookieconsent's #cc-main) are set aside, so the
// figure is the page's own largest paint; so are entries with no element (one in a shadow tree,
// which paint timing does not expose, or a removed one: never the page's content here). The
// element is reported, and so is whether the browser's own LCP was the banner.

/** @param {'allparty' | 'cookieconsent' | null} banner which banner root to look for */
export function probe(banner) {
  const result = {
    fcp: null,
    lcp: null,
    lcpElement: null,
    browserLcpIsBanner: false,
    cls: 0,
    banner: null,
    bannerFrame: null,
    bannerRendered: null,
  };
  Object.defineProperty(window, '__pageCost', { value: result });

  const BANNER_HOSTS = ['allparty-ui', 'cc-main'];
  const inBanner = (node) => {
    for (let n = node; n; n = n.parentNode || n.host) if (BANNER_HOSTS.includes(n.id)) return true;
    return false;
  };
  const nameOf = (el) => {
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 28);
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : '';
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls}${text ? ` "${text}"` : ''}`;
  };

  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') result.fcp = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      // No element: it sits in a shadow tree (not exposed to paint timing, like allparty's banner)
      // or was removed; the page's own content is neither.
      const banner = !e.element || inBanner(e.element);
      result.browserLcpIsBanner = banner;
      if (banner) continue;
      result.lcp = e.startTime;
      result.lcpElement = nameOf(e.element);
    }
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      result.cls += e.value;
    }
  }).observe({ type: 'layout-shift', buffered: true });

  const root = () =>
    banner === 'allparty'
      ? document.getElementById('allparty-ui')?.shadowRoot?.querySelector('[data-allparty-banner]')
      : banner === 'cookieconsent'
        ? document.querySelector('#cc-main .cm')
        : null;
  const visible = (el) => {
    if (!el?.isConnected) return false;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.bottom <= 0 || r.right <= 0) return false;
    if (r.top >= innerHeight || r.left >= innerWidth) return false;
    return el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  };
  const frame = (timestamp) => {
    if (!visible(root())) {
      if (!window.__pageCostStop) requestAnimationFrame(frame);
      return;
    }
    result.banner = performance.now();
    result.bannerFrame = timestamp;
    const rendered = new MessageChannel();
    rendered.port1.onmessage = () => {
      result.bannerRendered = performance.now();
    };
    rendered.port2.postMessage(null);
  };
  requestAnimationFrame(frame);
}
