import { byteChunks, type SourceLike } from './sources';

/** A run of whole lines decoded from UTF-8; `text` ends with '\n' except at the end of the source. */
export interface TextBlock {
  text: string;
  /**
   * Lines holding an invalid UTF-8 sequence (decoded with U+FFFD), keyed by their 0-based offset
   * in this block (the reader adds its own line count), with what was wrong; usually null.
   */
  bad: Map<number, string> | null;
}

const NL = 10;

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Offset of the first byte that starts an invalid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let need: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function hex(b: Uint8Array, at: number): string {
  return Array.from(b.subarray(at, at + 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
}

const fatal = () => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = () => new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function decodeBlock(bytes: Uint8Array, dec: TextDecoder): TextBlock {
  try {
    return { text: dec.decode(bytes), bad: null };
  } catch {
    // Slow path, only for blocks with a bad sequence: find the lines and where in them.
    const bad = new Map<number, string>();
    const loose = lenient();
    let text = '';
    let start = 0;
    let line = 0;
    while (start < bytes.length) {
      let end = bytes.indexOf(NL, start);
      end = end < 0 ? bytes.length : end + 1;
      const lineBytes = bytes.subarray(start, end);
      const at = firstInvalidUtf8(lineBytes);
      if (at >= 0)
        bad.set(
          line,
          `invalid UTF-8 byte sequence at byte ${at + 1} of the line (bytes ${hex(lineBytes, at)})`,
        );
      text += loose.decode(lineBytes);
      start = end;
      line++;
    }
    return { text, bad };
  }
}

/**
 * Decodes a byte source as UTF-8 in blocks of whole lines (cut at '\n' bytes, which never occur
 * inside a multi-byte sequence, so a character split across chunks is never broken). Strips a
 * leading BOM. Memory: one chunk plus the longest line.
 */
export async function* textBlocks(source: SourceLike): AsyncGenerator<TextBlock> {
  const dec = fatal();
  let carry: Uint8Array[] = [];
  let carryLen = 0;
  let first = true;
  const emit = (bytes: Uint8Array): TextBlock => {
    const block = decodeBlock(bytes, dec);
    if (first) {
      first = false;
      if (block.text.charCodeAt(0) === 0xfeff) block.text = block.text.slice(1);
    }
    return block;
  };
  for await (const chunk of byteChunks(source)) {
    const last = chunk.lastIndexOf(NL);
    if (last < 0) {
      carry.push(chunk);
      carryLen += chunk.length;
      continue;
    }
    const head = chunk.subarray(0, last + 1);
    carry.push(head);
    const bytes = concat(carry, carryLen + head.length);
    const rest = chunk.subarray(last + 1);
    carry = rest.length ? [rest.slice()] : [];
    carryLen = rest.length;
    yield emit(bytes);
  }
  if (carryLen > 0) yield emit(concat(carry, carryLen));
}
