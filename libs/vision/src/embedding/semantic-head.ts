import {
  ConceptSpace,
  ConseProjector,
  DeviseProjector,
  labelVectors,
  type LabelConcepts,
  type TermAnchors,
  type WordVectors,
} from '@catalens/semantics';
import { loadDeviseHead } from '../devise/devise-training';
import type { EncodedImage } from '../encoder/image-encoder';

/**
 * Maps an encoded image into word-vector space. `id` is the second half of the model version:
 * vectors of different heads never share a collection.
 */
export interface SemanticHead {
  readonly id: string;
  readonly dim: number;
  /** ConSE reads the classifier's probabilities; DeViSE only the visual vector. */
  readonly needsProbabilities: boolean;
  /**
   * Where this head places vocabulary terms and query words, when not at their word vectors
   * (ConSE over WordNet concepts). Taggers and text queries for its images must use it.
   */
  readonly anchors?: TermAnchors;
  project(encoded: EncodedImage): Float32Array;
}

/** What a `SEMANTIC_HEAD` setting names: ConSE over the model's classes (top T), or a DeViSE head directory. */
export type SemanticHeadSetting = { kind: 'conse'; topT: number } | { kind: 'devise'; dir: string };

/** `conse` (T = 10) or `conse-t<T>` (1–999); anything else is a DeViSE head directory. */
export function parseSemanticHead(value: string): SemanticHeadSetting {
  const conse = /^conse(?:-t(\d{1,3}))?$/.exec(value);
  if (!conse) return { kind: 'devise', dir: value };
  const topT = conse[1] ? Number(conse[1]) : 10;
  if (topT < 1) throw new SemanticHeadError(`${value}: ConSE needs at least one class (conse-t1 or more)`);
  return { kind: 'conse', topT };
}

export class SemanticHeadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SemanticHeadError';
  }
}

/**
 * ConSE over the image model's own class labels: zero training (Norouzi et al. 2014). With the
 * model's label concepts (WordNet), each class is placed by its synonyms and parents and the
 * vocabulary is anchored among the classes (libs/semantics label-concepts.ts); id `conse-wn-tT`.
 * Without them, each class is its first synonym's word vector; id `conse-tT`.
 */
export function conseHead(
  model: { id: string; labels: readonly string[] | null },
  vectors: WordVectors,
  topT = 10,
  concepts: LabelConcepts | null = null,
): SemanticHead {
  if (!model.labels) {
    throw new SemanticHeadError(
      `model ${model.id} has no class labels, so ConSE cannot project it; train a DeViSE head with \`catalens train devise\` and use it instead`,
    );
  }
  if (concepts && concepts.classes.length !== model.labels.length) {
    throw new SemanticHeadError(
      `the label concepts (${concepts.source}) describe ${concepts.classes.length} classes, model ${model.id} has ${model.labels.length}`,
    );
  }
  const space = concepts ? new ConceptSpace(concepts, vectors) : null;
  const conse = new ConseProjector(
    space ? `conse-${space.id}-t${topT}` : `conse-t${topT}`,
    space ? space.classVectors : labelVectors(model.labels, vectors).vectors,
    topT,
  );
  return {
    id: conse.id,
    dim: conse.dim,
    needsProbabilities: true,
    ...(space ? { anchors: space } : {}),
    project: (encoded) => {
      if (!encoded.probabilities) throw new SemanticHeadError('ConSE needs class probabilities');
      return conse.project(encoded.probabilities);
    },
  };
}

/** A DeViSE head trained by `catalens train devise` for this image model (Frome et al. 2013). */
export function deviseHead(dir: string, model: { id: string; dim: number }): SemanticHead {
  const head = loadDeviseHead(dir);
  if (head.meta.visualModel !== model.id || head.visualDim !== model.dim) {
    throw new SemanticHeadError(
      `the DeViSE head in ${dir} was trained on ${String(head.meta.visualModel)} (${head.visualDim}-d) vectors, not ${model.id} (${model.dim}-d); use the image model it was trained for or retrain it`,
    );
  }
  const devise = new DeviseProjector(String(head.meta.id), head.kernel, head.visualDim, head.semanticDim);
  return {
    id: devise.id,
    dim: devise.dim,
    needsProbabilities: false,
    project: (encoded) => devise.project(encoded.visual),
  };
}
