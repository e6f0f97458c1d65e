import { DataArgumentError } from '../errors';

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = ['', 'thousand', 'million', 'billion'];

function below1000(n: number): string {
  const parts: string[] = [];
  const h = Math.floor(n / 100);
  const r = n % 100;
  if (h > 0) parts.push(`${ONES[h]} hundred`);
  if (r > 0)
    parts.push(r < 20 ? ONES[r] : TENS[Math.floor(r / 10)] + (r % 10 ? `-${ONES[r % 10]}` : ''));
  return parts.join(' ');
}

/** 1234 → "one thousand two hundred thirty-four" (American style, no "and"), for 0 ≤ n < 10^12. */
export function numberToWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1e12)
    throw new DataArgumentError(`numberToWords takes an integer in [0, 10^12), got ${n}.`);
  if (n === 0) return 'zero';
  const groups: string[] = [];
  let rest = n;
  for (let s = 0; rest > 0; s++) {
    const g = rest % 1000;
    if (g > 0) groups.unshift(SCALES[s] ? `${below1000(g)} ${SCALES[s]}` : below1000(g));
    rest = Math.floor(rest / 1000);
  }
  return groups.join(' ');
}
