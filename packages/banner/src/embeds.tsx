import { type Consent, vendorGrant } from '@allparty/core';
import { render } from 'preact';
import { renderedText } from './rendered-text';
import { CSS } from './styles';
import { type BannerVendor, fill, joinList, type Texts } from './text';
import { Action } from './ui';

/** Frames the site tags for click-to-load: `<iframe data-src data-allparty="video" data-vendor="youtube">`. */
export const TAGGED_EMBEDS = 'iframe[data-allparty][data-vendor][data-src]';

/** What {@link createPlaceholders} needs from the banner. */
export interface PlaceholderOptions {
  consent: Consent;
  document: Document;
  vendors: Record<string, BannerVendor>;
  texts: Texts;
  language: string;
  dark: () => boolean;
  /**
   * Loads one frame for this page view without a stored grant ("Load once"); the embed lets
   * the guard and gating release it. Without it, only "Always allow" is offered.
   */
  loadOnce?: ((el: Element, vendorId: string) => void) | undefined;
}

/** The placeholders on a page: call `update()` after a consent change. */
export interface Placeholders {
  update(): void;
  destroy(): void;
}

const purposesOf = (el: Element) => (el.getAttribute('data-allparty') ?? '').split(/\s+/).filter(Boolean);

/**
 * Stands a placeholder in for each tagged frame whose vendor is not granted: it names the
 * vendor and what it receives, with "Load once" (this page view, nothing stored) and "Always
 * allow" (a grant recorded with control `embed-always`). Same box as the frame, so nothing moves.
 */
export function createPlaceholders(options: PlaceholderOptions): Placeholders {
  const { consent, document: doc, texts: t } = options;
  const shown = new Map<Element, HTMLElement>();
  const once = new WeakSet<Element>();

  const allowed = (el: Element, id: string) =>
    once.has(el) || purposesOf(el).every((p) => consent.has(p, id));

  const remove = (el: Element) => {
    const host = shown.get(el);
    if (!host) return;
    render(null, host.shadowRoot!);
    host.remove();
    shown.delete(el);
    (el as HTMLElement).style.display = el.getAttribute('data-allparty-display') ?? '';
    el.removeAttribute('data-allparty-display');
  };

  const always = (el: Element, id: string, host: HTMLElement) => {
    const grant = vendorGrant(consent.context, consent.get(), id, purposesOf(el));
    consent.setNotice(
      renderedText(host.shadowRoot!.querySelector('[data-allparty-embed-card]')),
      options.language,
    );
    consent.set(grant, { control: 'embed-always' });
  };

  const add = (el: HTMLElement, vendor: BannerVendor) => {
    const box = el.getBoundingClientRect();
    const width = box.width || Number(el.getAttribute('width')) || 560;
    const height = box.height || Number(el.getAttribute('height')) || 315;
    const host = doc.createElement('div');
    host.setAttribute('data-allparty-embed', vendor.id);
    host.setAttribute(
      'style',
      `all:initial;display:block;width:${width}px;max-width:100%;height:${height}px`,
    );
    const root = host.attachShadow({ mode: 'open' });
    el.before(host);
    el.setAttribute('data-allparty-display', el.style.display);
    el.style.display = 'none';
    shown.set(el, host);
    // A manifest's `embed.receives` is a whole sentence; else one is made from what it captures.
    const body =
      t[`vendor.${vendor.id}.embed`] ??
      vendor.embed?.receives ??
      fill(t.embedBody, {
        legalName: vendor.legalName,
        items: joinList([...vendor.captures.contents, ...vendor.captures.addressing], t),
      });
    const titleId = `ap-e-${vendor.id}`;
    render(
      <>
        <style>{CSS}</style>
        <div class={options.dark() ? '$root$ $dark$' : '$root$'} lang={options.language} style="height:100%">
          {/* biome-ignore lint/a11y/useSemanticElements: a card with two buttons, not a form; a fieldset would add form semantics and styles */}
          <div class="$placeholder$" role="group" aria-labelledby={titleId} data-allparty-embed-card="">
            <p id={titleId}>
              <strong>{fill(t.embedTitle, { name: vendor.name })}</strong>
            </p>
            <p class="$small$">{body}</p>
            <div class="$equal$">
              {options.loadOnce && (
                <Action
                  action="embed-once"
                  onClick={() => {
                    once.add(el);
                    remove(el);
                    options.loadOnce?.(el, vendor.id);
                  }}
                >
                  {t.embedOnce}
                </Action>
              )}
              <Action action="embed-always" onClick={() => always(el, vendor.id, host)}>
                {t.embedAlways}
              </Action>
            </div>
          </div>
        </div>
      </>,
      root,
    );
  };

  const update = () => {
    for (const el of doc.querySelectorAll<HTMLElement>(TAGGED_EMBEDS)) {
      const id = el.getAttribute('data-vendor')!;
      const vendor = options.vendors[id];
      if (!vendor || allowed(el, id)) remove(el);
      else if (!shown.has(el)) add(el, vendor);
    }
  };
  const off = consent.on('change', update);
  update();
  return {
    update,
    destroy() {
      off();
      for (const el of [...shown.keys()]) remove(el);
    },
  };
}
