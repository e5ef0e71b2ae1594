/**
 * Text made safe to put in HTML, as element text or a double-quoted attribute value: `& < > "`
 * as named character references. Receipts are checked by rebuilding them byte for byte, so this
 * output never changes.
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
