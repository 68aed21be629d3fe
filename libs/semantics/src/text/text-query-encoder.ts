import type { TermAnchors } from '../projection/label-concepts';
import { canonicalTerm, type Vocabulary } from '../vocabulary/vocabulary';
import { normalize, type WordVectors } from '../word-vectors/word-vectors';

/** Function words no catalog query needs; the vocabulary adds its own. */
const ENGLISH_STOP_WORDS = new Set(
  (
    'a an the and or but of in on at to for from by with without as is are was were be been being ' +
    'this that these those it its i me my we our you your they them their he she his her ' +
    'show find search looking look want need some any all very more most less so such than too ' +
    'can could would should will just also only not no nor into over under about up down out off'
  ).split(' '),
);

export interface EncodedQuery {
  /** Unit vector in word-vector space, or null when no token had a vector. */
  vector: Float32Array | null;
  /** What contributed to the vector, in query order: terms (synonyms resolved) and plain words. */
  used: string[];
  /** Tokens the word vectors do not know (reported back to the caller). */
  unknown: string[];
  /** Stop-words that were dropped. */
  ignored: string[];
}

/**
 * Turns a text query into the semantic space tags live in: tokenize, match multi-word terms,
 * map synonyms onto their terms, drop stop-words, average the remaining vectors.
 */
export class TextQueryEncoder {
  private readonly phrases: string[][];
  /** A word outside the vocabulary goes where the vocabulary's head places it, else its word vector. */
  private readonly anchors: TermAnchors | undefined;

  constructor(
    private readonly vectors: WordVectors,
    private readonly vocabulary?: Vocabulary,
  ) {
    this.anchors = vocabulary?.anchors;
    this.phrases = (vocabulary?.phrases() ?? []).map((p) => p.split(' '));
  }

  encode(text: string): EncodedQuery {
    const tokens = tokenize(text);
    const used: string[] = [];
    const unknown: string[] = [];
    const ignored: string[] = [];
    const sum = new Float32Array(this.vectors.dim);
    let contributions = 0;
    const add = (label: string, vector: Float32Array): void => {
      for (let d = 0; d < vector.length; d++) sum[d]! += vector[d]!;
      used.push(label);
      contributions++;
    };

    for (let i = 0; i < tokens.length;) {
      const phrase = this.phrases.find((p) => p.every((w, j) => tokens[i + j] === w));
      if (phrase) {
        const label = this.vocabulary!.resolve(phrase.join(' '))!;
        add(label, this.vocabulary!.term(label)!.vector);
        i += phrase.length;
        continue;
      }
      const token = tokens[i++]!;
      if (ENGLISH_STOP_WORDS.has(token) || this.vocabulary?.stopWords.has(token)) {
        ignored.push(token);
        continue;
      }
      const term = this.vocabulary?.resolve(token);
      if (term) {
        add(term, this.vocabulary!.term(term)!.vector);
        continue;
      }
      const vector = this.anchors?.anchor(token) ?? this.vectors.vector(token);
      if (vector) add(token, vector);
      else unknown.push(token);
    }
    return { vector: contributions > 0 ? normalize(sum) : null, used, unknown, ignored };
  }
}

/** Lower-cased word tokens; hyphens and apostrophes inside words are kept ("t-shirt", "men's" → "men"). */
export function tokenize(text: string): string[] {
  return canonicalTerm(text)
    .split(/[^\p{L}\p{N}'-]+/u)
    .map((t) => t.replace(/^['-]+|['-]+$/g, '').replace(/'s$/, ''))
    .filter(Boolean);
}
