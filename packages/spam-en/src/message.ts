/** The most characters of a message body the model reads (as in training); the rest is ignored. */
export const MAX_BODY_CHARS = 3000;

/** A header line (`Name: value`) or the continuation of one (leading white space). */
const HEADER_LINE = /^([!-9;-~]+:|[ \t])/;
/** Fields that only a transported email has (a body starting `URL: …` or `Note: …` is no email). */
const TRANSPORT_FIELD = /^(received|return-path|message-id|delivered-to|mime-version):/i;

/**
 * Whether `text` is a raw email: its first block (up to the first blank line) is an mbox `From `
 * line and/or header fields only, among them at least one transport field (Received,
 * Return-Path, Message-ID, Delivered-To, MIME-Version) or the mbox line.
 */
function isRawEmail(block: string): boolean {
  const lines = block.split(/\r?\n/);
  const mbox = lines[0].startsWith('From ');
  const fields = mbox ? lines.slice(1) : lines;
  if (!fields.every((l) => HEADER_LINE.test(l))) return false;
  return mbox || fields.some((l) => TRANSPORT_FIELD.test(l));
}

/**
 * The text the model reads: for a raw email (headers first), the body after the first blank
 * line; for anything else, the text itself. Trimmed and cut to `MAX_BODY_CHARS`, exactly as the
 * training messages were. A body given again comes back unchanged (unless it starts with the
 * headers of another, forwarded email: 1 of the corpus's 6,046 messages).
 */
export function messageBody(text: string): string {
  const cut = text.search(/\r?\n\r?\n/);
  const block = cut >= 0 ? text.slice(0, cut) : text;
  const body = isRawEmail(block) ? (cut >= 0 ? text.slice(cut) : '') : text;
  return body.trim().slice(0, MAX_BODY_CHARS).trimEnd();
}
