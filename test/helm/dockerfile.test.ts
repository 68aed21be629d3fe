import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/services';

/**
 * No Docker engine (nor a Dockerfile linter from the reachable registries) on this machine: the
 * image definition is checked for the properties the chart relies on.
 */
describe('docker/Dockerfile', () => {
  const text = readFileSync(join(REPO_ROOT, 'docker/Dockerfile'), 'utf8');
  const stages = [...text.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => ({
    image: m[1]!,
    name: m[2],
  }));

  it('has the targets the docs and the chart name, and pins every external base image', () => {
    expect(stages.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'build',
        'runtime',
        'ingest',
        'embedder',
        'graphql',
        'build-gpu',
        'runtime-gpu',
      ]),
    );
    const internal = new Set(stages.map((s) => s.name));
    for (const { image } of stages.filter((s) => !internal.has(s.image))) {
      expect(image).toMatch(/:[^:]+$/);
      expect(image).not.toMatch(/:latest$/);
    }
    expect(text).toMatch(/nvidia\/cuda:11\.2\.2-cudnn8-runtime/);
  });

  it('runs as the non-root uid the chart expects, with a health check, in both runtime stages', () => {
    for (const stage of text.split(/^FROM /m).filter((s) => /^\S+ AS runtime(-gpu)?\b/.test(s))) {
      expect(stage).toMatch(/^USER 10001:10001$/m);
      expect(stage).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
      expect(stage).toMatch(/COPY --from=build(-gpu)? \/src\/models \.\/models/);
    }
  });

  it('keeps secrets, data and caches out of the build context', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'data', '.cache', '**/node_modules', '.git']));
  });
});
