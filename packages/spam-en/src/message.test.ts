import { describe, expect, it } from 'vitest';
import { MAX_BODY_CHARS, messageBody } from './message';

describe('messageBody', () => {
  it('drops the headers of a raw email (mbox From line or a header field first)', () => {
    const raw = 'From a@b.c  Thu Aug 22 2002\nSubject: hi\nTo: x@y.z\n\nHello there.\n\nBye.';
    expect(messageBody(raw)).toBe('Hello there.\n\nBye.');
    expect(messageBody('Return-Path: <a@b.c>\r\nSubject: x\r\n\r\nBody text')).toBe('Body text');
    expect(messageBody('Received: by x\nSubject: only headers')).toBe('');
  });

  it('keeps plain text whole, blank lines included (no header block to drop)', () => {
    const text = 'Dear team,\n\nThe report is ready: see the link below.\n\nThanks';
    expect(messageBody(text)).toBe(text);
    expect(messageBody('  WIN a FREE prize now!!!  ')).toBe('WIN a FREE prize now!!!');
  });

  it('is no email when the first block lacks transport fields (a body starting `URL: …`)', () => {
    const body = 'URL: http://example.com/item\nDate: Not supplied\n\nThe news item.';
    expect(messageBody(body)).toBe(body);
    expect(messageBody('Received: from x\nSubject: y\n\nBody')).toBe('Body');
  });

  it(`reads at most ${MAX_BODY_CHARS} characters`, () => {
    expect(messageBody('a'.repeat(MAX_BODY_CHARS + 10))).toHaveLength(MAX_BODY_CHARS);
    // Cut, then trimmed: giving the result again changes nothing.
    const cut = messageBody(`${'a'.repeat(MAX_BODY_CHARS - 1)}  b`);
    expect(cut).toHaveLength(MAX_BODY_CHARS - 1);
    expect(messageBody(cut)).toBe(cut);
  });
});
