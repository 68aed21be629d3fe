#!/usr/bin/env node
// `npm test`: everything, on a fresh machine, with nothing else to set up.
//   1. generate the Prisma client and build every package (tsc -b)
//   2. lint (ESLint + Prettier)
//   3. unit tests (Jest project "unit")
//   4. provision and start the real services: Apache Kafka (KRaft, jars from Maven Central) and
//      PostgreSQL (Debian package) through scripts/kafka.sh and scripts/postgres.sh, Qdrant (the
//      binary in shared/bin beside the checkout, or QDRANT_URL) through scripts/qdrant.sh for
//      the Qdrant contract suite and the system path on Qdrant (test/qdrant),
//      and Chromium (Debian package, scripts/chromium.sh) for the browser tests, helm and
//      kubeconform (built from the Go module proxy, scripts/k8s-tools.sh) for the chart checks;
//      without them those tests skip with the reason printed
//   5. system tests against them (Jest project "integration", one file at a time)
// Services this script started are stopped at the end (KEEP_SERVICES=1 keeps them for reruns).
//   node scripts/test.mjs [--unit] [jest args for the integration run, e.g. a path pattern]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const jestArgs = args.filter((a) => a !== '--unit');
const reports = join(repo, '.cache/test-reports');
mkdirSync(reports, { recursive: true });
const started = Date.now();
const since = () => `${((Date.now() - started) / 1000).toFixed(0)}s`;

function run(title, command, commandArgs, options = {}) {
  process.stdout.write(`\n▶ ${title} [${since()}]\n`);
  const result = spawnSync(command, commandArgs, { cwd: repo, stdio: 'inherit', ...options });
  return result.status ?? 1;
}

function mustRun(title, command, commandArgs) {
  const status = run(title, command, commandArgs);
  if (status !== 0) {
    process.stdout.write(`\n✖ ${title} failed (exit ${status})\n`);
    process.exit(status);
  }
}

const jestBin = join(repo, 'node_modules/jest/bin/jest.js');
const counts = { passed: 0, failed: 0, skipped: 0 };
function tally(file) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    counts.passed += report.numPassedTests;
    counts.failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
    counts.skipped += report.numPendingTests + report.numTodoTests;
  } catch {
    counts.failed += 1;
  }
}

mustRun('build', 'npm', ['run', '--silent', 'build']);
mustRun('lint', 'npm', ['run', '--silent', 'lint']);

let failed = false;
/** Runs one Jest project with a JSON report, and adds its counts to the summary. */
function runJest(title, project, extraArgs = [], options = {}) {
  const report = join(reports, `${project}.json`);
  const status = run(
    title,
    process.execPath,
    [jestBin, '--selectProjects', project, '--json', `--outputFile=${report}`, ...extraArgs],
    options,
  );
  tally(report);
  failed ||= status !== 0;
}

runJest('unit tests', 'unit');

/**
 * Starts Qdrant for the Qdrant suites (or checks QDRANT_URL) and returns the suite's env:
 * QDRANT_URL when it is up, QDRANT_UNAVAILABLE with scripts/qdrant.sh's reason when not.
 */
function startQdrant() {
  const script = join(repo, 'scripts/qdrant.sh');
  const wasUp =
    Boolean(process.env.QDRANT_URL) ||
    spawnSync('bash', [script, 'status'], { stdio: 'ignore' }).status === 0;
  process.stdout.write(`\n▶ start qdrant [${since()}]\n`);
  const up = spawnSync('bash', [script, 'up'], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process.stderr.write(up.stderr ?? '');
  if (up.status === 0) {
    if (!wasUp && process.env.KEEP_SERVICES !== '1') stopAfter.push(script);
    process.stdout.write(`qdrant: ${up.stdout.trim()}\n`);
    return { QDRANT_URL: up.stdout.trim() };
  }
  // The script's last own line says why (a failed start prints the server's log after it).
  const said = (up.stderr ?? '').split('\n').filter((line) => line.startsWith('qdrant.sh: '));
  const reason = said.at(-1)?.slice('qdrant.sh: '.length) ?? `scripts/qdrant.sh up exited ${up.status}`;
  process.stdout.write(`qdrant: unavailable, the Qdrant suites will be skipped: ${reason}\n`);
  return { QDRANT_UNAVAILABLE: reason };
}

/**
 * Prints how many tests of the Qdrant suites ran (every test file whose path contains "qdrant":
 * the contract suite and the pipeline on Qdrant), from the integration JSON report, so a run
 * where they skipped is visible as such.
 */
function reportQdrant(file) {
  const expected = ['libs/vector-store/test/qdrant.test.ts', 'test/qdrant/pipeline-on-qdrant.test.ts'];
  let results;
  try {
    results = JSON.parse(readFileSync(file, 'utf8')).testResults ?? [];
  } catch {
    process.stdout.write(`\nqdrant: no integration report at ${file}\n`);
    return;
  }
  const found = results
    .map((r) => ({ ...r, path: relative(repo, r.name) }))
    .filter((r) => r.path.toLowerCase().includes('qdrant'));
  if (found.length === 0) {
    process.stdout.write(`\nqdrant: not run (${expected.join(', ')} were not in this integration run)\n`);
    return;
  }
  const n = { passed: 0, failed: 0, skipped: 0 };
  for (const suite of found) {
    const before = { ...n };
    for (const a of suite.assertionResults ?? []) {
      if (a.status === 'passed') n.passed += 1;
      else if (a.status === 'failed') n.failed += 1;
      else n.skipped += 1; // pending, skipped, todo, disabled
    }
    if (suite.status === 'failed' && n.failed === before.failed) n.failed += 1; // the file did not load
  }
  const files = found.map((r) => r.path).sort();
  const missing = expected.filter((path) => !files.includes(path));
  process.stdout.write(
    `\nqdrant: ${n.passed} passed, ${n.failed} failed, ${n.skipped} skipped (files ${files.join(', ')})` +
      `${missing.length ? `; not in this run: ${missing.join(', ')}` : ''}\n`,
  );
}

const stopAfter = [];
if (!unitOnly) {
  for (const service of ['kafka', 'postgres']) {
    const script = join(repo, `scripts/${service}.sh`);
    const wasUp = spawnSync('bash', [script, 'status'], { stdio: 'ignore' }).status === 0;
    mustRun(`start ${service}`, 'bash', [script, 'up']);
    if (!wasUp && process.env.KEEP_SERVICES !== '1') stopAfter.push(script);
  }
  const qdrantEnv = startQdrant();
  const chromium = spawnSync('bash', [join(repo, 'scripts/chromium.sh'), 'ensure'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const browserEnv =
    chromium.status === 0
      ? { CHROMIUM_PATH: chromium.stdout.trim() }
      : { CHROMIUM_UNAVAILABLE: 'scripts/chromium.sh failed' };
  process.stdout.write(
    `\n▶ chromium: ${chromium.status === 0 ? chromium.stdout.trim() : 'unavailable'} [${since()}]\n`,
  );
  // helm + kubeconform built from the Go module proxy, and the schemas they validate against.
  const k8s = spawnSync('bash', [join(repo, 'scripts/k8s-tools.sh'), 'ensure'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const k8sEnv =
    k8s.status === 0
      ? Object.fromEntries(
          k8s.stdout
            .trim()
            .split('\n')
            .map((line) => line.split('='))
            .map(([k, v]) => [`K8S_TOOL_${k}`, v]),
        )
      : { K8S_TOOLS_UNAVAILABLE: 'scripts/k8s-tools.sh failed (see its output above)' };
  process.stdout.write(
    `\n▶ k8s tools: ${k8s.status === 0 ? 'helm, kubeconform, schemas ready' : 'unavailable'} [${since()}]\n`,
  );
  runJest(
    'integration tests (real Kafka, PostgreSQL, PGlite, Chromium, helm + kubeconform)',
    'integration',
    ['--runInBand', ...jestArgs],
    {
      env: { ...process.env, ...browserEnv, ...k8sEnv, ...qdrantEnv },
    },
  );
  for (const script of stopAfter) spawnSync('bash', [script, 'down'], { stdio: 'inherit' });
  reportQdrant(join(reports, 'integration.json'));
}

process.stdout.write(`\nfinished in ${since()}\n`);
process.stdout.write(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
process.exit(failed || counts.failed > 0 ? 1 : 0);
