import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../support/services';

const run = promisify(execFile);
const CHART = join(REPO_ROOT, 'helm/catalens');
const KUBE_VERSION = '1.30.0';
const tools = {
  helm: process.env.K8S_TOOL_HELM,
  kubeconform: process.env.K8S_TOOL_KUBECONFORM,
  schemas: process.env.K8S_TOOL_K8S_SCHEMAS,
  crdSchemas: process.env.K8S_TOOL_K8S_CRD_SCHEMAS,
};
const unavailable =
  process.env.K8S_TOOLS_UNAVAILABLE ??
  (Object.values(tools).some((t) => !t)
    ? 'run through npm test (scripts/k8s-tools.sh provides helm and kubeconform)'
    : undefined);
/**
 * Kinds without a schema: Strimzi ships its CRDs with a Java project, not through any registry
 * this machine reaches (npm, Maven Central jars carry no CRDs, Go proxy, PyPI), so its custom
 * resources are checked by the operator at apply time only.
 */
const SKIPPED_KINDS = ['Kafka', 'KafkaTopic', 'KafkaNodePool'];

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}
type Container = {
  name: string;
  image: string;
  startupProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  securityContext?: Record<string, unknown>;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
};
type PodSpec = {
  containers: Container[];
  securityContext?: Record<string, unknown>;
  nodeSelector?: Record<string, string>;
  tolerations?: unknown[];
  runtimeClassName?: string;
};

async function template(
  valueFiles: string[] = [],
  chart = CHART,
): Promise<{ yaml: string; docs: Manifest[] }> {
  const args = ['template', 'cat', chart, '--kube-version', KUBE_VERSION, '--namespace', 'catalens'];
  for (const file of valueFiles) args.push('-f', join(CHART, 'ci', file));
  const { stdout } = await run(tools.helm!, args, { maxBuffer: 32 * 1024 * 1024 });
  const docs = parseAllDocuments(stdout)
    .map((d) => d.toJS() as Manifest | null)
    .filter((d): d is Manifest => d !== null);
  return { yaml: stdout, docs };
}

/** kubeconform -strict over files or stdin; resolves with its summary, rejects with its findings. */
async function kubeconform(input: { files: string[] } | { stdin: string }): Promise<string> {
  const args = [
    '-strict',
    '-summary',
    '-schema-location',
    `${tools.schemas}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
    '-schema-location',
    `${tools.crdSchemas}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
    '-skip',
    SKIPPED_KINDS.join(','),
  ];
  if ('files' in input) {
    const { stdout } = await run(tools.kubeconform!, [...args, ...input.files]);
    return stdout;
  }
  return new Promise((resolve, reject) => {
    const child = execFile(tools.kubeconform!, [...args, '-'], (error, stdout) =>
      error ? reject(new Error(`kubeconform: ${stdout}`)) : resolve(stdout),
    );
    child.stdin!.end(input.stdin);
  });
}

const podSpec = (d: Manifest): PodSpec =>
  (d.spec?.template as { spec: PodSpec } | undefined)?.spec ?? { containers: [] };
const byKind = (docs: Manifest[], kind: string) => docs.filter((d) => d.kind === kind);
const named = (docs: Manifest[], kind: string, suffix: string) =>
  docs.find((d) => d.kind === kind && d.metadata.name.endsWith(suffix));

const describeWithTools = unavailable ? describe.skip : describe;
if (unavailable) process.stdout.write(`helm chart tests skipped: ${unavailable}\n`);

describeWithTools('helm/catalens', () => {
  it.each([
    ['default values', []],
    ['GPU values', ['gpu-values.yaml']],
    ['KEDA values', ['keda-values.yaml']],
  ])('passes helm lint and renders manifests that kubeconform -strict accepts (%s)', async (_name, files) => {
    const lintArgs = ['lint', CHART, '--strict', '--kube-version', KUBE_VERSION];
    for (const f of files) lintArgs.push('-f', join(CHART, 'ci', f));
    const lint = await run(tools.helm!, lintArgs);
    expect(lint.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    const { yaml, docs } = await template(files);
    const summary = await kubeconform({ stdin: yaml });
    expect(summary).toMatch(
      new RegExp(
        `${docs.length} resources found .* Valid: ${docs.length}, Invalid: 0, Errors: 0, Skipped: 0`,
      ),
    );
  });

  it('runs every container as non-root on a read-only root filesystem, pinned images, probes on /healthz and /readyz', async () => {
    for (const files of [[], ['gpu-values.yaml'], ['keda-values.yaml']]) {
      const { docs } = await template(files);
      const workloads = [...byKind(docs, 'Deployment'), ...byKind(docs, 'Job')];
      expect(workloads).toHaveLength(4);
      for (const w of workloads) {
        const spec = podSpec(w);
        expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
        for (const c of spec.containers) {
          expect(c.image).toMatch(/^ghcr\.io\/catalens\/catalens:0\.1\.0(-gpu)?$/);
          expect(c.image).not.toMatch(/:latest$/);
          expect(c.securityContext).toMatchObject({
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
          });
          expect(c.resources?.requests).toBeDefined();
          if (w.kind === 'Deployment') {
            expect(c.startupProbe?.httpGet?.path).toBe('/healthz');
            expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
            expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
          }
        }
      }
      // Model loading: the embedder's startup probe allows five minutes.
      const embedder = podSpec(named(docs, 'Deployment', '-embedder')!).containers[0]!;
      const startup = embedder.startupProbe as { periodSeconds: number; failureThreshold: number };
      expect(startup.periodSeconds * startup.failureThreshold).toBeGreaterThanOrEqual(300);
    }
  });

  it('migrates the schema in a pre-install/pre-upgrade hook Job before the pods roll', async () => {
    const { docs } = await template();
    const job = named(docs, 'Job', '-migrate')!;
    expect(job.metadata.annotations).toMatchObject({
      'helm.sh/hook': 'pre-install,pre-upgrade',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
    expect(podSpec(job).containers[0]).toMatchObject({ args: ['apps/cli/dist/main.js', 'migrate'] });
    // With a chart-made Secret, the Secret is an earlier hook so that the Job can read it.
    const keda = await template(['keda-values.yaml']);
    const secret = byKind(keda.docs, 'Secret')[0]!;
    expect(Number(secret.metadata.annotations?.['helm.sh/hook-weight'])).toBeLessThan(
      Number(named(keda.docs, 'Job', '-migrate')!.metadata.annotations?.['helm.sh/hook-weight']),
    );
  });

  it('puts the embedder on GPUs only with GPU values: nvidia.com/gpu limit, GPU image, node selector, toleration, runtime class', async () => {
    const cpu = podSpec(named((await template()).docs, 'Deployment', '-embedder')!);
    expect(JSON.stringify(cpu)).not.toContain('nvidia.com/gpu');
    const gpu = podSpec(named((await template(['gpu-values.yaml'])).docs, 'Deployment', '-embedder')!);
    expect(gpu.containers[0]!.resources?.limits).toMatchObject({ 'nvidia.com/gpu': 1 });
    expect(gpu.containers[0]!.image).toMatch(/-gpu$/);
    expect(gpu.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(gpu.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(gpu.runtimeClassName).toBe('nvidia');
  });

  it('scales ingest and graphql with HPAs, and the embedder by KEDA on consumer lag only when asked', async () => {
    const plain = await template();
    expect(byKind(plain.docs, 'HorizontalPodAutoscaler').map((h) => h.metadata.name)).toEqual([
      'cat-catalens-ingest',
      'cat-catalens-graphql',
    ]);
    expect(byKind(plain.docs, 'ScaledObject')).toHaveLength(0);
    expect(named(plain.docs, 'Deployment', '-embedder')!.spec?.replicas).toBe(2);
    // An autoscaled Deployment leaves `replicas` to its autoscaler.
    expect(named(plain.docs, 'Deployment', '-ingest')!.spec?.replicas).toBeUndefined();

    const keda = await template(['keda-values.yaml']);
    const scaled = byKind(keda.docs, 'ScaledObject')[0]!;
    expect(scaled.spec).toMatchObject({
      scaleTargetRef: { name: 'cat-catalens-embedder' },
      maxReplicaCount: 12,
      triggers: [
        {
          type: 'kafka',
          metadata: { consumerGroup: 'catalens-embedder', topic: 'catalens.items.v1', lagThreshold: '100' },
        },
      ],
    });
    expect(named(keda.docs, 'Deployment', '-embedder')!.spec?.replicas).toBeUndefined();
    expect(byKind(keda.docs, 'ServiceMonitor')).toHaveLength(1);
    expect(byKind(keda.docs, 'PodDisruptionBudget')).toHaveLength(3);
    expect(byKind(keda.docs, 'NetworkPolicy')).toHaveLength(3);
  });

  it('gives each app only the CATALENS_ settings it knows (the apps refuse unknown ones)', async () => {
    const { docs } = await template();
    const data = (suffix: string) =>
      (named(docs, 'ConfigMap', suffix) as unknown as { data: Record<string, string> }).data;
    expect(data('-ingest')).not.toHaveProperty('CATALENS_COLLECTION');
    expect(data('-embedder')).toMatchObject({
      CATALENS_COLLECTION: 'items',
      KAFKA_GROUP_ID: 'catalens-embedder',
    });
    expect(data('-graphql')).toMatchObject({ QDRANT_URL: 'http://qdrant.catalens-platform:6333' });
    // A tenant head's promotion re-tags in the API as the embedders tag: one value feeds both.
    const tagging = { EMBEDDER_TAGS_PER_ITEM: '5', EMBEDDER_TAG_THRESHOLD: '0.25' };
    expect(data('-embedder')).toMatchObject(tagging);
    expect(data('-graphql')).toMatchObject({ ...tagging, SEMANTIC_HEAD_AUTOTRAIN_EVERY: '50' });
    expect(data('-embedder')).not.toHaveProperty('SEMANTIC_HEAD_AUTOTRAIN_EVERY');
  });

  it('refuses values that would deploy something broken, with the reason', async () => {
    await expect(
      run(tools.helm!, [
        'template',
        'cat',
        CHART,
        '--kube-version',
        KUBE_VERSION,
        '--set',
        'image.tag=latest',
      ]),
    ).rejects.toThrow(/image\.tag|latest/);
    await expect(
      run(tools.helm!, [
        'template',
        'cat',
        CHART,
        '--kube-version',
        KUBE_VERSION,
        '--set',
        'secrets.existingSecret=',
        '--set',
        'secrets.create=true',
      ]),
    ).rejects.toThrow(/secrets.create needs secrets.databaseUrl and secrets.apiKeyPepper/);
  });

  it('fails on a broken template and on a manifest the API would refuse (the checks are not blind)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chart-'));
    try {
      cpSync(CHART, join(dir, 'catalens'), { recursive: true });
      writeFileSync(
        join(dir, 'catalens/templates/broken.yaml'),
        'kind: ConfigMap\nmetadata: {{ .Values.nope.missing }}\n',
      );
      await expect(template([], join(dir, 'catalens'))).rejects.toThrow(/nil pointer|broken.yaml/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const { yaml } = await template();
    const typo = yaml.replace('containerPort: 8080', 'containerPrt: 8080');
    await expect(kubeconform({ stdin: typo })).rejects.toThrow(
      /additional properties 'containerPrt' not allowed/,
    );
  });
});

describeWithTools('k8s/ platform manifests', () => {
  it(`validate against their schemas (Strimzi's ${SKIPPED_KINDS.join(', ')} skipped: no CRD schema reachable)`, async () => {
    const files = readdirSync(join(REPO_ROOT, 'k8s'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join(REPO_ROOT, 'k8s', f));
    const summary = await kubeconform({ files });
    expect(summary).toMatch(/Invalid: 0, Errors: 0, Skipped: 4/);
    expect(summary).toMatch(/10 resources found in 5 files - Valid: 6,/);
    process.stdout.write(`k8s/: ${summary.trim()} (skipped: Strimzi ${SKIPPED_KINDS.join(', ')})\n`);
  });
});
