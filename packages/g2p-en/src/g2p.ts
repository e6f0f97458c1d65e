import type { BackendInfo, BackendName } from '@seqzoo/backend';
import {
  createRegistry,
  loadModel,
  MODEL_JSON,
  type ModelStorage,
  resolveStorage,
} from '@seqzoo/registry';
import { type Seq2SeqModel, seq2seqPlugin } from '@seqzoo/seq2seq';
import { loadCmudict, type PronouncingDictionary } from './dictionary';
import { G2PInputError, G2PModelError } from './errors';
import { packagedModelFiles, urlStorage } from './model-files';
import { type NormalizedToken, normalizeText } from './normalize';

/** The package-level format of the model folder this version reads (model.json `training.package.format`). */
export const G2P_FORMAT = 1;

/** Options of `loadG2P`: where the model is, the backend, the dictionary. */
export interface LoadG2POptions {
  /**
   * Where the model is: a folder, a URL (`https://…/g2p-en/`, `file://…`) or a registry
   * `ModelStorage`. Default: the model shipped in this package.
   */
  model?: string | ModelStorage;
  /**
   * The tfjs backend to run on. Default: the one the app set (`tf.setBackend` or `useBackend`),
   * never switched; when none is set, `useBackend('auto')` picks one and `info.backend.reason`
   * says which and why.
   */
  backend?: BackendName;
  /** `false`: every word goes through the model (no CMUdict). Or another dictionary. */
  dictionary?: boolean | PronouncingDictionary;
}

/** One pronunciation with where it came from; model pronunciations carry their scores. */
export interface Pronunciation {
  phonemes: string[];
  source: 'dictionary' | 'model' | 'spelled';
  /** Beam search's ranking score (log-probability over the length penalty); null for the dictionary. */
  score: number | null;
  /** The model's log-probability of the phonemes; null for the dictionary. */
  logProb: number | null;
}

/** How a word the dictionary lacks is decoded (options of `g2p.phonemes` and the like). */
export interface DecodeOptions {
  /** How the model decodes words the dictionary lacks: 'greedy' (default, fastest) or 'beam'. */
  decode?: 'greedy' | 'beam';
  /** Beam width (default 5). */
  beamWidth?: number;
  /** `false`: skip the dictionary, use the model for every word. Default true. */
  dictionary?: boolean;
}

/** Decode options asking for up to `nBest` pronunciations. */
export interface NBestOptions extends DecodeOptions {
  /** Up to this many pronunciations: the dictionary's, or the model's beam-search n-best. */
  nBest: number;
}

/** Decode options asking for every pronunciation the dictionary has. */
export interface AllOptions extends DecodeOptions {
  /** Every pronunciation the dictionary has (the model's best for other words). */
  all: true;
}

/** A token of `g2p.text()`: a word with its phonemes, or punctuation. */
export interface TextToken extends NormalizedToken {
  /** Words only. */
  phonemes?: string[];
  /** Words only: where the phonemes came from ('spelled': letter by letter, e.g. an acronym). */
  from?: Pronunciation['source'];
}

/** What `g2p.info` tells: the backend, the model (size, storage dtype, length penalty)… */
export interface G2PInfo {
  /** The backend the model runs on, and why (`reason`: set by the app, or picked by auto). */
  backend: BackendInfo;
  model: {
    id: string;
    parameters: number;
    /** How the weights are stored: 'float32', 'float16' or 'int8'. */
    dtype: string;
    /** Beam search's length penalty, chosen on validation words when the model was packed. */
    lengthPenalty: number;
    /** What model.json records: the training run, the packing, the metrics. */
    training: Record<string, unknown>;
  };
  dictionary: { name: string; entries: number } | null;
}

const ACRONYM = /^[A-Z]{2,5}$/;

/** English grapheme-to-phoneme: CMUdict first, the model for the words it lacks. */
export class G2P {
  /** Source characters the model knows (a–z, apostrophe, hyphen, period). */
  private readonly letters: Set<string>;

  constructor(
    readonly model: Seq2SeqModel,
    readonly dictionary: PronouncingDictionary | null,
    readonly info: G2PInfo,
  ) {
    this.letters = new Set(model.sourceVocab.tokens.filter((t) => !/^<.*>$/.test(t)));
  }

  /** The pronunciation of one word (ARPAbet with stress digits), e.g. `['HH', 'AH0', 'L', 'OW1']`. */
  word(word: string, options?: DecodeOptions): string[];
  /** Every pronunciation the dictionary has, first the usual one. */
  word(word: string, options: AllOptions): string[][];
  /** Up to `nBest` alternatives with their scores. */
  word(word: string, options: NBestOptions): Pronunciation[];
  word(
    word: string,
    options: DecodeOptions & { nBest?: number; all?: boolean } = {},
  ): string[] | string[][] | Pronunciation[] {
    if (typeof word !== 'string' || word.trim() === '' || /\s/.test(word.trim())) {
      throw new G2PInputError(
        `g2p.word takes one word, got ${JSON.stringify(word)}. For text with several words, numbers or punctuation, use g2p.text().`,
      );
    }
    const { nBest } = options;
    if (nBest !== undefined && (!Number.isInteger(nBest) || nBest < 1)) {
      throw new G2PInputError(`nBest must be a positive integer, got ${nBest}.`);
    }
    // Fast path: the usual pronunciation of a dictionary word.
    if (nBest === undefined && !options.all && options.dictionary !== false && this.dictionary) {
      const found = this.dictionary.first(word.trim().toLowerCase().replace(/’/g, "'"));
      if (found) return found;
    }
    const [list] = this.pronounce([word.trim()], { ...options, nBest: nBest ?? 1 });
    if (nBest !== undefined) return list.slice(0, nBest);
    if (options.all) return list.map((p) => p.phonemes);
    return list[0].phonemes;
  }

  /** The first pronunciation of each word, the model's decoded in batches (faster than one by one). */
  words(words: readonly string[], options: DecodeOptions = {}): string[][] {
    if (!Array.isArray(words)) {
      throw new G2PInputError(`g2p.words takes an array of words, got ${typeof words}.`);
    }
    words.forEach((w, i) => {
      if (typeof w !== 'string' || w.trim() === '')
        throw new G2PInputError(`word ${i} is ${JSON.stringify(w)}: give non-empty strings.`);
    });
    return this.pronounce(
      words.map((w) => w.trim()),
      { ...options, nBest: 1 },
    ).map((l) => l[0].phonemes);
  }

  /**
   * Text to tokens with phonemes: numbers, ordinals, years, money, percentages and common
   * abbreviations spelled out (see `normalizeText`), punctuation kept as tokens. Homographs get
   * the dictionary's first pronunciation ('read' → R EH1 D): there is no part-of-speech model.
   */
  text(text: string, options: DecodeOptions = {}): TextToken[] {
    if (typeof text !== 'string') {
      throw new G2PInputError(`g2p.text takes a string, got ${typeof text}.`);
    }
    const tokens: TextToken[] = normalizeText(text);
    const words = tokens.filter((t) => t.kind === 'word');
    // Acronyms written in capitals that the dictionary lacks are spelled ("USB" is in it).
    const inputs = words.map((t) =>
      ACRONYM.test(t.source) && !this.dictionary?.has(t.text) ? t.source : t.text,
    );
    const lists = this.pronounce(inputs, { ...options, nBest: 1 });
    words.forEach((t, i) => {
      t.phonemes = lists[i][0].phonemes;
      t.from = lists[i][0].source;
    });
    return tokens;
  }

  /**
   * The model's pronunciations alone (no dictionary, no splitting): per word, the n-best list.
   * What the evaluation scripts measure.
   */
  predict(
    words: readonly string[],
    options: {
      decode?: 'greedy' | 'beam';
      beamWidth?: number;
      nBest?: number;
      /** Beam search's length penalty α; default the one chosen when the model was packed. */
      lengthPenalty?: number;
    } = {},
  ): Pronunciation[][] {
    const inputs = words.map((w) => this.modelInput(w));
    const out: Pronunciation[][] = [];
    const method = options.decode ?? (options.nBest && options.nBest > 1 ? 'beam' : 'greedy');
    for (let i = 0; i < inputs.length; i += 256) {
      const batch = this.model.translator.translate(inputs.slice(i, i + 256), {
        method,
        beamWidth: options.beamWidth ?? 5,
        nBest: method === 'beam' ? (options.nBest ?? 1) : 1,
        lengthPenalty: options.lengthPenalty ?? this.info.model.lengthPenalty,
      });
      for (const list of batch) {
        out.push(
          list.map((h) => ({
            phonemes: h.outputTokens,
            source: 'model',
            score: h.score,
            logProb: h.logProb,
          })),
        );
      }
    }
    return out;
  }

  /** Frees the model's tensors; the object cannot be used afterwards. */
  dispose(): void {
    this.model.dispose();
  }

  /** Lower case, accents removed, characters the model does not know dropped. */
  private modelInput(word: string): string[] {
    const chars = [
      ...word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/’/g, "'"),
    ].filter((c) => this.letters.has(c));
    if (chars.length === 0) {
      throw new G2PInputError(
        `${JSON.stringify(word)} has no letters the model can read (a–z, ', -, .). Numbers and symbols: use g2p.text(), which spells them out.`,
      );
    }
    return chars;
  }

  /**
   * Per word, its pronunciations: the dictionary's (all of them), else letter by letter for an
   * acronym in capitals, else hyphenated parts pronounced one by one, else the model's (n-best
   * with beam). Model words of the whole call are decoded together.
   */
  private pronounce(
    words: readonly string[],
    options: DecodeOptions & { nBest: number },
  ): Pronunciation[][] {
    const dict = options.dictionary === false ? null : this.dictionary;
    type Plan =
      | { kind: 'done'; list: Pronunciation[] }
      | { kind: 'model'; index: number }
      | { kind: 'parts'; parts: Plan[] };
    const queue: string[] = [];
    const plan = (word: string, top: boolean): Plan => {
      const key = word.toLowerCase().replace(/’/g, "'");
      const found = dict?.lookup(key) ?? [];
      if (found.length > 0) {
        return {
          kind: 'done',
          list: found.map((phonemes) => ({
            phonemes,
            source: 'dictionary',
            score: null,
            logProb: null,
          })),
        };
      }
      if (dict && ACRONYM.test(word)) {
        const letters = [...key].map((c) => dict.lookup(`${c}.`)[0] ?? dict.lookup(c)[0]);
        if (letters.every(Boolean)) {
          return {
            kind: 'done',
            list: [{ phonemes: letters.flat(), source: 'spelled', score: null, logProb: null }],
          };
        }
      }
      if (dict && top && /^[^-]+(-[^-]+)+$/.test(key)) {
        return { kind: 'parts', parts: key.split('-').map((p) => plan(p, false)) };
      }
      if (/\d/.test(key)) {
        throw new G2PInputError(
          `${JSON.stringify(word)} contains digits: use g2p.text(), which spells numbers out.`,
        );
      }
      this.modelInput(key); // throws for a word without letters
      queue.push(key);
      return { kind: 'model', index: queue.length - 1 };
    };
    const plans = words.map((w) => plan(w, true));
    const beam = options.decode === 'beam' || options.nBest > 1;
    const decoded = queue.length
      ? this.predict(queue, {
          decode: beam ? 'beam' : 'greedy',
          beamWidth: Math.max(options.beamWidth ?? 5, options.nBest),
          nBest: options.nBest,
        })
      : [];
    const resolve = (p: Plan): Pronunciation[] => {
      if (p.kind === 'done') return p.list;
      if (p.kind === 'model') return decoded[p.index];
      const firsts = p.parts.map((q) => resolve(q)[0]);
      const scored = firsts.filter((f) => f.logProb !== null);
      return [
        {
          phonemes: firsts.flatMap((f) => f.phonemes),
          source: scored.length ? 'model' : 'dictionary',
          score: scored.length ? scored.reduce((s, f) => s + (f.score ?? 0), 0) : null,
          logProb: scored.length ? scored.reduce((s, f) => s + (f.logProb ?? 0), 0) : null,
        },
      ];
    };
    return plans.map(resolve);
  }
}

function locationOf(model: string | ModelStorage | undefined): ModelStorage {
  if (model === undefined) return urlStorage(packagedModelFiles(), '@seqzoo/g2p-en/model');
  return resolveStorage(model);
}

/**
 * Loads the G2P model (from this package unless `model` says otherwise) and CMUdict, in Node or
 * a browser, offline. The model runs on the app's backend (see `LoadG2POptions.backend`).
 */
export async function loadG2P(options: LoadG2POptions = {}): Promise<G2P> {
  const storage = locationOf(options.model);
  const dictionary =
    options.dictionary === false
      ? Promise.resolve(null)
      : options.dictionary && options.dictionary !== true
        ? Promise.resolve(options.dictionary)
        : loadCmudict();
  const head = await storage.read(MODEL_JSON);
  if (head === null) {
    throw new G2PModelError('NOT_A_G2P_MODEL', `${storage.location}: no model.json.`);
  }
  let json: {
    modelId?: unknown;
    training?: { package?: { format?: unknown; lengthPenalty?: unknown } };
    weights?: { quantization?: { dtype?: string } };
  };
  try {
    json = JSON.parse(new TextDecoder().decode(head));
  } catch {
    json = {}; // loadModel reports the bad JSON with its typed error
  }
  const pkg = json.training?.package;
  if (typeof pkg?.format === 'number' && pkg.format > G2P_FORMAT) {
    throw new G2PModelError(
      'NEWER_FORMAT',
      `${storage.location}: the model was packed for @seqzoo/g2p-en format ${pkg.format}; this version reads format ${G2P_FORMAT}. Upgrade @seqzoo/g2p-en.`,
    );
  }
  const registry = createRegistry({ plugins: [seq2seqPlugin] });
  // Reads model.json again: small, and loadModel checks its format version and the checksums.
  const loaded = await loadModel<Seq2SeqModel>(registry, storage, { backend: options.backend });
  const model = loaded.model;
  if (loaded.id !== 'seq2seq:attention') {
    model.dispose();
    throw new G2PModelError(
      'NOT_A_G2P_MODEL',
      `${storage.location}: a '${loaded.id}' model, not a seq2seq:attention G2P model.`,
    );
  }
  model.eval();
  const record = registry.recordOf(model);
  const dict = await dictionary;
  return new G2P(model, dict, {
    backend: record!.backend,
    model: {
      id: loaded.id,
      parameters: model.numParameters(),
      dtype: json.weights?.quantization?.dtype ?? 'float32',
      lengthPenalty: typeof pkg?.lengthPenalty === 'number' ? pkg.lengthPenalty : 0,
      training: loaded.training,
    },
    dictionary: dict ? { name: 'CMUdict', entries: dict.size } : null,
  });
}
