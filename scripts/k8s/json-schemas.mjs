#!/usr/bin/env node
// Kubernetes JSON schemas for kubeconform, generated offline from a Kubernetes OpenAPI v2 document
// (the swagger.json that ships in the k8s.io/cli-runtime Go module, fetched through the Go module
// proxy by scripts/k8s-tools.sh). One file per kind, named as kubeconform's default layout expects
// (`deployment-apps-v1.json`, `service-v1.json`, `ingress-networking-v1.json`), in the "strict"
// flavour: objects refuse properties the API does not define, so a typo in a manifest fails.
//   node scripts/k8s/json-schemas.mjs <swagger.json> <out dir>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [swaggerPath, outDir] = process.argv.slice(2);
if (!swaggerPath || !outDir) {
  process.stderr.write('usage: json-schemas.mjs <swagger.json> <out dir>\n');
  process.exit(2);
}
const { definitions } = JSON.parse(readFileSync(swaggerPath, 'utf8'));

/** Types whose JSON form is looser than their OpenAPI `type` says. */
const SPECIAL = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { oneOf: [{ type: 'string' }, { type: 'integer' }] },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
};

/** A copy of a definition with `$ref`s pointing into the file's own `definitions`, made strict. */
function convert(node, refs) {
  if (Array.isArray(node)) return node.map((n) => convert(n, refs));
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      const name = value.replace('#/definitions/', '');
      refs.add(name);
      out.$ref = `#/definitions/${name}`;
    } else if (key === 'description' || key.startsWith('x-kubernetes-')) {
      continue;
    } else {
      out[key] = convert(value, refs);
    }
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  // Nullable in practice: a manifest may write `key: null` / `key: ~` for an empty field.
  if (typeof out.type === 'string' && out.type !== 'null') out.type = [out.type, 'null'];
  return out;
}

function schemaOf(name) {
  const refs = new Set();
  const root = convert(definitions[name], refs);
  const defs = {};
  const pending = [...refs];
  while (pending.length) {
    const ref = pending.pop();
    if (defs[ref]) continue;
    if (SPECIAL[ref]) {
      defs[ref] = SPECIAL[ref];
      continue;
    }
    const more = new Set();
    defs[ref] = convert(definitions[ref] ?? {}, more);
    for (const m of more) if (!defs[m]) pending.push(m);
  }
  return { $schema: 'http://json-schema.org/schema#', ...root, definitions: defs };
}

mkdirSync(outDir, { recursive: true });
let written = 0;
for (const [name, definition] of Object.entries(definitions)) {
  const gvks = definition['x-kubernetes-group-version-kind'];
  if (!Array.isArray(gvks) || name.endsWith('List')) continue;
  const schema = schemaOf(name);
  for (const { group, kind, version } of gvks) {
    const groupPart = group ? `-${group.split('.')[0]}` : '';
    writeFileSync(join(outDir, `${kind.toLowerCase()}${groupPart}-${version}.json`), JSON.stringify(schema));
    written++;
  }
}
process.stdout.write(`${written} schemas in ${outDir}\n`);
