/** The most characters of a message body the model reads (as in training); the rest is ignored. */
export const MAX_BODY_CHARS = 3000;

/** A raw email starts with an mbox `From ` line or a header field (`Return-Path:`, `Subject:`…). */
const RAW_EMAIL = /^(From [^\n]*\r?\n)?[!-9;-~]+:/;

/**
 * The text the model reads: for a raw email (headers first), the body after the first blank
 * line; for anything else, the text itself. Trimmed and cut to `MAX_BODY_CHARS`, exactly as the
 * training messages were.
 */
export function messageBody(text: string): string {
  let body = text;
  if (RAW_EMAIL.test(text)) {
    const cut = text.search(/\r?\n\r?\n/);
    body = cut >= 0 ? text.slice(cut) : '';
  }
  return body.trim().slice(0, MAX_BODY_CHARS);
}
