/**
 * The exact text a visitor reads in an element, as the core hashes it (R9): text nodes in
 * order; block-level elements and controls separate words, inline ones (strong, a, span) do
 * not; whitespace folded. Hidden (`aria-hidden`) parts are left out.
 */
export function renderedText(el: Element | null | undefined): string {
  let out = '';
  const walk = (node: Node) => {
    if (node.nodeType === 3) out += node.nodeValue ?? '';
    else if (node.nodeType === 1) {
      const e = node as Element;
      if (e.getAttribute('aria-hidden') === 'true') return;
      const block = !INLINE.has(e.localName);
      if (block) out += ' ';
      for (let c = e.firstChild; c; c = c.nextSibling) walk(c);
      if (block) out += ' ';
    }
  };
  if (el) walk(el);
  return out.replace(/\s+/g, ' ').trim();
}

const INLINE = new Set(['strong', 'b', 'em', 'i', 'a', 'span', 'code', 'small']);
