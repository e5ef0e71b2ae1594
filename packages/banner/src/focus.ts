/** What can take focus inside a dialog. */
const FOCUSABLE = 'button,input,a[href],[tabindex]:not([tabindex="-1"])';

/** The focused element, looking through shadow roots. */
export function deepActive(doc: Document): HTMLElement | null {
  let el: Element | null = doc.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el as HTMLElement | null;
}

/**
 * Where focus goes back when a dialog closes: the element that had it, or, if that was
 * re-rendered meanwhile (a site's own control), the element in the same root with the same
 * `data-allparty-action` and `data-allparty-chat`.
 */
export function focusBack(el: HTMLElement | null, root: Node | null): void {
  if (!el) return;
  let target: HTMLElement | null = el;
  const action = el.getAttribute('data-allparty-action');
  if (!el.isConnected && action && root && 'querySelector' in root) {
    const chat = el.getAttribute('data-allparty-chat');
    target = (root as ParentNode).querySelector<HTMLElement>(
      `[data-allparty-action="${action}"]${chat ? `[data-allparty-chat="${chat}"]` : ''}`,
    );
  }
  target?.focus();
}

/**
 * Keyboard inside a modal dialog: Escape dismisses it (never a decision), Tab and Shift+Tab stay
 * inside it. `dialog()` is the open modal's card, or null when none is open (the first layer is
 * not modal).
 */
export function trapFocus(root: HTMLElement, dialog: () => HTMLElement | null, dismiss: () => void): void {
  root.addEventListener('keydown', (e) => {
    const card = dialog();
    if (!card) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      dismiss();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = [...card.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = items[0];
    const last = items[items.length - 1];
    const active = (root.getRootNode() as ShadowRoot).activeElement;
    if (!first || !last) return;
    if (e.shiftKey && (active === first || active === card)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  });
}
