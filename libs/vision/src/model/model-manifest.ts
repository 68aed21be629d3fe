import { z } from 'zod';

/**
 * `catalens-model.json`, next to a TF.js `model.json`: what the model expects and where its
 * embedding is. Preprocessing must match the model's training convention, so it lives with the model.
 */
export const modelManifestSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  kind: z.enum(['layers', 'graph']),
  inputSize: z.number().int().min(32).max(1024),
  /** `squash`: resize to a square ignoring aspect; `cover`: centre crop to a square first. */
  resize: z.enum(['squash', 'cover']),
  /** Pixel values the model was trained on, mapped linearly from 0..255. */
  pixelRange: z.tuple([z.number(), z.number()]),
  /** Layers models: the layer whose output is the embedding. Graph models: the node name. */
  embeddingLayer: z.string().min(1),
  embeddingSize: z.number().int().positive(),
  /** The layer (or graph node) of class probabilities, for ConSE over `labelsFile`. */
  probabilitiesLayer: z.string().optional(),
  /** Class names, one per output of the classifier (a JSON file next to the model). */
  labelsFile: z.string().optional(),
  /**
   * The labels placed in WordNet (scripts/semantics/build-label-concepts.mjs), one entry per
   * label in order: ConSE then projects through synonyms, hypernyms and part holonyms.
   */
  conceptsFile: z.string().optional(),
  /**
   * The same network as an ONNX graph (scripts/models/efficientnet-lite0/export_onnx.py), inputs
   * NHWC like model.json and outputs named embeddingLayer / probabilitiesLayer: the onnx engine.
   */
  onnxFile: z.string().optional(),
});
export type ModelManifest = z.infer<typeof modelManifestSchema>;
