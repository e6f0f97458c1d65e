import { Random } from '@seqzoo/layers';

const SPAM = ['win', 'free', 'cash', 'prize', 'click', 'offer', 'money', 'now', 'urgent', 'cheap'];
const HAM = [
  'meeting',
  'lunch',
  'project',
  'report',
  'tomorrow',
  'team',
  'notes',
  'draft',
  'call',
  'review',
];
const COMMON = ['the', 'a', 'you', 'we', 'for', 'and', 'to', 'this', 'is', 'of'];

/**
 * A toy spam/ham corpus: each text mixes common words with words of its class, plus a little
 * noise from the other class, so that it is learnable but not trivially by one word.
 */
export function toySpamHam(n: number, seed: number): { texts: string[]; labels: string[] } {
  const rng = new Random(seed);
  const pick = (list: string[]) => list[Math.floor(rng.next() * list.length)];
  const texts: string[] = [];
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const spam = rng.next() < 0.5;
    const words: string[] = [];
    const length = 5 + Math.floor(rng.next() * 8);
    for (let j = 0; j < length; j++) {
      const u = rng.next();
      words.push(
        u < 0.45 ? pick(COMMON) : u < 0.95 ? pick(spam ? SPAM : HAM) : pick(spam ? HAM : SPAM),
      );
    }
    texts.push(words.join(' '));
    labels.push(spam ? 'spam' : 'ham');
  }
  return { texts, labels };
}
