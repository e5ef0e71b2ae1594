/**
 * The notice lint (R8): a notice must name every vendor that runs, and must not promise
 * what a site with vendors cannot keep ("100% confidential", "we never share"), nor read
 * consent into anything but a click on an explicit control (R7: "by continuing you agree").
 */

/** Phrases a notice may not contain while vendors run, in the languages the banner ships. */
export const FORBIDDEN_PHRASES: readonly RegExp[] = [
  /\b100\s?%\s*(confidential|private|secure|safe|anonymous)/i,
  /\b(completely|fully|totally|entirely|absolutely)\s+(confidential|private|anonymous|secure)/i,
  /\bwe\s+(will\s+)?never\s+(share|sell|track|record|disclose|pass)/i,
  /\b(is|are)\s+never\s+(shared|sold|tracked|recorded|disclosed)/i,
  /\b(no one|nobody|no-one)\s+(else\s+)?(can\s+|will\s+)?(see|read|access)/i,
  /\bby\s+(continuing|using|browsing|scrolling|staying)\b[^.]{0,80}\b(agree|accept|consent)/i,
  /\b100\s?%\s*(confidencial|privad|anónim|confidentiel|privé|vertraulich|sicher)/i,
  /\bnunca\s+(compartimos|compartiremos|vendemos|compartilhamos|venderemos)/i,
  /\b(totalmente|completamente)\s+(confidencial|privad|anónim|anônim)/i,
  /\bal\s+(continuar|navegar|seguir)\b[^.]{0,80}\b(aceptas|acepta|consientes|consiente)/i,
  /\bjamais\s+(partag|vend|transmi)/i,
  /\ben\s+(continuant|poursuivant)\b[^.]{0,80}\b(accept|consent)/i,
  /\b(niemals|nie)\s+(weiter|geteilt|verkauft)/i,
  /\bgeben\s+(wir\s+)?(ihre\s+daten\s+)?niemals/i,
  /绝不(共享|分享|出售|透露)|100\s?%\s*(保密|隐私|安全)|继续(浏览|使用)[^。]{0,30}同意/,
];

/** The first forbidden phrase found in a text, or null. */
export function forbiddenPhrase(text: string): string | null {
  for (const re of FORBIDDEN_PHRASES) {
    const m = re.exec(text);
    if (m) return m[0];
  }
  return null;
}

/** One lint finding, with a message that says what to change. */
export interface NoticeProblem {
  kind: 'missing-vendor' | 'no-manifest' | 'forbidden-phrase';
  /** The vendor concerned, for vendor problems. */
  vendor?: string;
  /** The `texts` key concerned, for phrase problems. */
  key?: string;
  message: string;
}

/** What {@link lintNotice} checks. */
export interface LintNoticeOptions {
  /** The text the visitor is shown. */
  text: string;
  /** The configured vendors: each must be named (by display or legal name). */
  vendors: ReadonlyArray<{ id: string; name: string; legalName: string }>;
}

/** Lints a rendered notice: every configured vendor named, no forbidden phrase (R7, R8). */
export function lintNotice({ text, vendors }: LintNoticeOptions): NoticeProblem[] {
  const problems: NoticeProblem[] = [];
  const lower = text.toLowerCase();
  for (const v of vendors)
    if (!lower.includes(v.name.toLowerCase()) && !lower.includes(v.legalName.toLowerCase()))
      problems.push({
        kind: 'missing-vendor',
        vendor: v.id,
        message: `the notice does not name ${v.legalName} ("${v.id}"), which is configured to run (R6, R8)`,
      });
  if (vendors.length) {
    const phrase = forbiddenPhrase(text);
    if (phrase)
      problems.push({
        kind: 'forbidden-phrase',
        message: `the notice says "${phrase}": an absolute promise or implied consent is not allowed while vendors run (R7, R8)`,
      });
  }
  return problems;
}
