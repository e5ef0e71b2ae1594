import {
  anyGranted,
  bulkChoices,
  type Consent,
  currentChoices,
  type FullChoices,
  reaskedVendors,
  togglePurpose,
  toggleVendor,
  vendorGrant,
} from '@allparty/core';
import { render } from 'preact';
import { createPlaceholders, type Placeholders } from './embeds';
import { deepActive, focusBack, trapFocus } from './focus';
import { createBannerHost } from './host';
import type { Messages } from './i18n/en';
import { isLanguage, pickLanguage } from './languages';
import { lintNotice, type NoticeProblem } from './lint';
import { createReceiptDownload } from './receipt-download';
import { renderedText } from './rendered-text';
import { type BannerVendor, groupVendors, resolveTexts, type Texts } from './text';
import { ChatGate, FirstLayer, type Layer, type LayerProps, Preferences } from './ui';

/** Options for {@link mountBanner}. */
export interface MountBannerOptions {
  /** Manifests of the configured vendors; the notice text is generated from them (R6, R31). */
  manifests: readonly BannerVendor[];
  /**
   * Which layer to open now. @default "first" when a decision is needed, else none
   * (the privacy-choices control or `consent.show()` opens it later).
   */
  open?: 'first' | 'preferences' | false;
  /** Override the language (else `config.language`, the page's, the browser's). */
  language?: string;
  /** @default document */
  document?: Document;
  /** Where lint problems go. @default console */
  console?: Pick<Console, 'error'>;
  /** Loads a click-to-load frame for this page view only ("Load once"); see docs/banner.md. */
  loadOnce?: (el: Element, vendorId: string) => void;
}

/** What a chat-start gate ended with. */
export type ChatGateResult = 'accepted' | 'declined' | 'dismissed';

/** A mounted banner. */
export interface BannerHandle {
  /** The language shown. */
  readonly language: string;
  /** Notice lint findings at init (also logged as console errors). */
  readonly problems: readonly NoticeProblem[];
  /** Opens a layer. @default "first" */
  open(layer?: 'first' | 'preferences'): void;
  /** Opens the chat-start gate for a chat vendor. */
  chat(vendorId: string): Promise<ChatGateResult>;
  /** Closes whatever is open (never a decision). */
  close(): void;
  /** The open layer, or null. */
  layer(): Layer | null;
  /** Puts click-to-load placeholders over tagged frames of vendors not granted (and keeps them current). */
  placeholders(): void;
  /** Removes the banner from the page. */
  destroy(): void;
}

/** Loads the texts of a language that is not built into this bundle. */
export type MessagesLoader = (language: string) => Promise<Partial<Messages> | undefined>;

const mounted = new WeakMap<Consent, BannerHandle>();

/**
 * Mounts the banner for a consent instance (once per instance; later calls return the same
 * handle and open the requested layer). Renders into an open shadow root on a
 * `<div id="allparty-ui">` at the end of `<body>`.
 */
export function createBanner(
  consent: Consent,
  options: MountBannerOptions,
  builtIn: Record<string, Partial<Messages>>,
  loadMessages: MessagesLoader,
): BannerHandle {
  const existing = mounted.get(consent);
  if (existing) {
    if (options.open) existing.open(options.open);
    return existing;
  }
  const doc = options.document ?? document;
  const out = options.console ?? console;
  const { config } = consent;
  const language = options.language ?? pickLanguage(config, doc);
  const problems: NoticeProblem[] = [];
  let texts: Texts | null = null;
  let linted = false;

  const {
    groups,
    vendors,
    unknown,
    problems: manifestProblems,
  } = groupVendors(consent.context.purposes, consent.context.vendors, consent.vendors, options.manifests);
  problems.push(...manifestProblems);

  const ui = createBannerHost(doc, config.theme, language);
  const { shadow, root } = ui;

  let layer: Layer | null = null;
  let pending: Layer | null = null;
  let returnFocus: HTMLElement | null = null;
  let returnRoot: Node | null = null;
  let choice: FullChoices = { purposes: {}, vendors: {} };
  let chat: { vendor: BannerVendor; declined: boolean; done: (r: ChatGateResult) => void } | null = null;

  const card = () => shadow.querySelector<HTMLElement>('[data-allparty-banner]');

  /** R9: after a material change, the vendors the first layer asks about again (null on a first visit). */
  const changed = () => {
    const v = consent.get();
    return reaskedVendors(consent.context, v, v.gpc);
  };
  /** The first layer's Accept or Reject in a re-ask: what was asked about, only. */
  const reasked = (granted: boolean) => {
    const v = consent.get();
    return bulkChoices(consent.context, v, granted, v.gpc, v.pendingPurposes, v.pendingVendors);
  };

  const draw = () => {
    if (!texts) return;
    const props: LayerProps = {
      t: texts,
      language,
      groups,
      unknown,
      purposeConfig: config.purposes,
      gpc: consent.get().gpc,
      policy: config.policy,
      contact: config.contact,
      purposes: choice.purposes,
      vendors: choice.vendors,
      chat,
      changed: layer === 'first' ? changed() : null,
      receipt: !!download && !!consent.get().record && download.status(),
      act: actions,
    };
    const View = layer === 'first' ? FirstLayer : layer === 'preferences' ? Preferences : ChatGate;
    render(layer ? <View {...props} /> : null, root);
  };

  const show = (next: Layer | null) => {
    if (!texts) {
      pending = next;
      return;
    }
    if (next && !layer) {
      returnFocus = deepActive(doc);
      returnRoot = returnFocus?.getRootNode() ?? null;
    }
    if (next === 'preferences' && layer !== 'preferences')
      choice = currentChoices(consent.context, consent.get());
    layer = next;
    draw();
    doc.dispatchEvent(new CustomEvent('allparty:ui', { detail: { layer } }));
    if (layer) {
      card()?.focus();
      if (!linted) {
        linted = true;
        // R8: the first text shown is checked against the vendors it must name.
        const asked = layer === 'chat' ? [chat?.vendor.id ?? ''] : layer === 'first' ? changed() : null;
        const found = lintNotice({
          text: renderedText(card()),
          vendors: Object.values(vendors).filter((v) => !asked || asked.includes(v.id)),
        });
        problems.push(...found);
        for (const p of found) out.error(`allparty: ${p.message}`);
      }
    } else {
      focusBack(returnFocus, returnRoot);
      returnFocus = returnRoot = null;
    }
  };

  /** After a decision or a dismissal: back to the first layer while anything is undecided. */
  const done = () => show(consent.get().needsDecision ? 'first' : null);

  /** R9: the record carries the hash of exactly the text on screen when the visitor decided. */
  const decide = (fn: () => boolean): boolean => {
    consent.setNotice(renderedText(card()), language);
    const ok = fn();
    if (ok) done();
    return ok;
  };

  const endChat = (result: ChatGateResult) => {
    chat?.done(result);
    chat = null;
  };

  const actions: LayerProps['act'] = {
    acceptAll: () => {
      const control = { control: 'accept-all' } as const;
      decide(() =>
        layer === 'first' && changed() ? consent.set(reasked(true), control) : consent.acceptAll(control),
      );
    },
    rejectAll: () => {
      const granted = anyGranted(consent.context, consent.get());
      const control = { control: 'reject-all' } as const;
      // Reject all after an earlier grant is a withdrawal (R28, R29): it stops vendors at once;
      // in a re-ask after a material change it refuses only what was asked about.
      decide(() =>
        layer === 'first' && changed()
          ? consent.set(reasked(false), control)
          : granted
            ? consent.withdraw(undefined, control)
            : consent.rejectAll(control),
      );
    },
    save: () => {
      decide(() => consent.set({ ...choice }, { control: 'save' }));
    },
    preferences: () => show('preferences'),
    close: () => {
      if (chat) endChat(chat.declined ? 'declined' : 'dismissed');
      done();
    },
    purpose: (p, on) => {
      choice = togglePurpose(consent.context, choice, p, on);
      draw();
    },
    vendor: (id, on) => {
      choice = toggleVendor(consent.context, choice, id, on);
      draw();
    },
    chatAccept: () => {
      if (!chat) return;
      const grant = vendorGrant(consent.context, consent.get(), chat.vendor.id, ['chat']);
      const gate = chat;
      chat = null;
      const ok = decide(() => consent.set(grant, { control: 'chat-accept', event: 'chat-start' }));
      if (ok) gate.done('accepted');
      else chat = gate;
    },
    receipt: () => download?.request(),
    chatDecline: () => {
      if (!chat) return;
      consent.setNotice(renderedText(card()), language);
      consent.set({ vendors: { [chat.vendor.id]: false } }, { control: 'chat-decline' });
      chat = { ...chat, declined: true };
      draw();
      shadow
        .querySelector<HTMLElement>('[data-allparty-chat-declined] a, [data-allparty-action="chat-close"]')
        ?.focus();
    },
  };

  const download = config.log ? createReceiptDownload(consent, config.log.endpoint, doc, draw) : null;
  trapFocus(root, () => (layer && layer !== 'first' ? card() : null), actions.close);

  const offShow = consent.on('show', ({ preferences }) => show(preferences ? 'preferences' : 'first'));
  const offChange = consent.on('change', (v) => {
    if (layer === 'first' && !v.needsDecision) show(null);
  });

  let placeholders: Placeholders | null = null;
  let wantPlaceholders = false;
  const startPlaceholders = () => {
    wantPlaceholders = true;
    if (!texts) return;
    if (placeholders) placeholders.update();
    else
      placeholders = createPlaceholders({
        consent,
        document: doc,
        vendors,
        texts,
        language,
        dark: ui.isDark,
        loadOnce: options.loadOnce,
      });
  };

  const handle: BannerHandle = {
    language,
    problems,
    open: (which = 'first') => show(which),
    chat(vendorId) {
      const vendor = vendors[vendorId];
      if (!vendor) return Promise.resolve('dismissed');
      if (chat) endChat('dismissed');
      return new Promise<ChatGateResult>((resolve) => {
        chat = { vendor, declined: false, done: resolve };
        show('chat');
      });
    },
    close: () => actions.close(),
    layer: () => layer,
    placeholders: startPlaceholders,
    destroy() {
      placeholders?.destroy();
      offShow();
      offChange();
      render(null, root);
      ui.remove();
      mounted.delete(consent);
    },
  };
  mounted.set(consent, handle);

  const ready = (messages: Partial<Messages> | undefined) => {
    const resolved = resolveTexts(language, messages, config);
    texts = resolved.texts;
    problems.push(...resolved.problems);
    for (const p of problems) out.error(`allparty: ${p.message}`);
    const wanted =
      options.open === undefined ? (consent.get().needsDecision ? 'first' : false) : options.open;
    const first = pending ?? (wanted || null);
    if (first) show(first);
    if (wantPlaceholders) startPlaceholders();
  };
  withMessages(language, builtIn, loadMessages, out, ready);
  return handle;
}

/**
 * Calls `ready` with the texts of `language`: at once when they are built in (or English, or a
 * language only the config's `texts` has), else once loaded (English, after saying so, if not).
 */
function withMessages(
  language: string,
  builtIn: Record<string, Partial<Messages>>,
  loadMessages: MessagesLoader,
  out: Pick<Console, 'error'>,
  ready: (messages: Partial<Messages> | undefined) => void,
): void {
  const local = builtIn[language];
  if (local || !isLanguage(language) || language === 'en') ready(local);
  else
    loadMessages(language).then(ready, (error: unknown) => {
      out.error(`allparty: could not load the "${language}" texts; showing English`, error);
      ready(undefined);
    });
}
