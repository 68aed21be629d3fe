import type { Options } from 'multer';

/**
 * Multer limits for the upload route. Decorators are evaluated when the controller class loads,
 * before configuration exists, so the module sets `current` from config at start.
 */
export const UPLOAD_LIMITS: { current: NonNullable<Options['limits']> } = {
  current: { fileSize: 20 * 1024 * 1024, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 22 },
};
