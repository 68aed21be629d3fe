export {
  BACKEND_ORDER,
  selectBackend,
  type BackendName,
  type Tf,
  type TfRuntime,
} from './backend/select-backend';
export { modelManifestSchema, type ModelManifest } from './model/model-manifest';
export {
  DEFAULT_MODEL_DIR,
  NSFWJS_MOBILENET_DIR,
  ModelLoadError,
  loadEncoderModel,
  type EncoderModel,
} from './model/load-encoder-model';
export { loadLabelConcepts } from './model/label-concepts-file';
export { imageToPixels } from './preprocess/image-to-pixels';
export {
  BATCH_SIZES,
  IMAGE_ENCODER,
  ImageDecodeError,
  type EncodeTiming,
  type EncodedImage,
  TfImageEncoder,
  type ImageEncoder,
  type ImageEncoderOptions,
} from './encoder/image-encoder';
export { EncoderWorkerExitedError, WorkerPoolImageEncoder } from './encoder/worker-pool-encoder';
export { OnnxImageEncoder } from './encoder/onnx-image-encoder';
export {
  ENGINES,
  createLocalEncoder,
  type EngineName,
  type EngineOptions,
  type LocalImageEncoder,
} from './encoder/engine';
export {
  loadDeviseHead,
  saveDeviseHead,
  trainDeviseHead,
  type DeviseHeadFiles,
  type DeviseTrainingOptions,
  type DeviseTrainingSet,
} from './devise/devise-training';
export {
  SemanticHeadError,
  conseHead,
  deviseHead,
  parseSemanticHead,
  type SemanticHead,
  type SemanticHeadSetting,
} from './embedding/semantic-head';
export {
  ImageEmbedder,
  modelVersionOf,
  type ClassifyingImageEncoder,
  type ImageEmbedding,
} from './embedding/image-embedder';
export { projectTo2d } from './embedding/projection';
