import { describe, expect, it } from 'vitest';
import { fromFile } from '../node';
import { readLines } from '../read-lines';
import { tempFiles } from '../test-files';
import { wordTokenizer } from '../tokenizers';
import { Vocab } from '../vocab';
import { csvClassification } from './classification';
import { textCorpus } from './text-corpus';

const files = tempFiles();

describe('textCorpus', () => {
  it('cuts the token stream into windows with next-token targets', async () => {
    const path = files.write('corpus.txt', 'a b c\nd e\nf g h i\n');
    const tokenizer = wordTokenizer();
    const vocab = await Vocab.build(readLines(fromFile(path)).map((l) => tokenizer.tokenize(l)));
    const windows = await textCorpus(fromFile(path, { chunkSize: 4 }), {
      tokenizer,
      vocab,
      length: 3,
    }).toArray();
    const stream = ['a', 'b', 'c', '<eos>', 'd', 'e', '<eos>', 'f', 'g', 'h', 'i', '<eos>'].map(
      (t) => vocab.idOf(t),
    );
    expect(windows).toEqual([
      { input: stream.slice(0, 3), target: stream.slice(1, 4) },
      { input: stream.slice(3, 6), target: stream.slice(4, 7) },
      { input: stream.slice(6, 9), target: stream.slice(7, 10) },
    ]);
    const overlapping = await textCorpus(fromFile(path), {
      tokenizer,
      vocab,
      length: 4,
      stride: 1,
    }).toArray();
    expect(overlapping).toHaveLength(stream.length - 4);
  });
});

describe('csvClassification', () => {
  it('picks text and label columns by name and infers a sorted label set', async () => {
    const path = files.write(
      'cls.tsv',
      'id\tlabel\ttext\n1\tspam\tbuy now\n2\tham\thello\n3\tspam\twin\n',
    );
    const { dataset, labels } = await csvClassification(fromFile(path), {
      delimiter: '\t',
      textColumn: 'text',
      labelColumn: 'label',
    });
    expect(labels).toEqual(['ham', 'spam']);
    expect(await dataset.toArray()).toEqual([
      { text: 'buy now', label: 1 },
      { text: 'hello', label: 0 },
      { text: 'win', label: 1 },
    ]);
    const given = await csvClassification(fromFile(path), {
      delimiter: '\t',
      textColumn: 'text',
      labelColumn: 'label',
      labels: ['spam'],
    });
    await expect(given.dataset.toArray()).rejects.toThrow(
      /Label "ham" is not in the label set \["spam"\]/,
    );
  });
});
