import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * `prisma/migrations` of the repository (or of the container image, where it is copied beside
 * the apps). Found by walking up from this file, so it works from src/ (tests) and dist/ alike.
 */
export function defaultMigrationsDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'prisma', 'migrations');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return resolve(process.cwd(), 'prisma/migrations');
}
