#!/usr/bin/env node
// kubeconform schemas for custom resources, from the operators' own CustomResourceDefinition files
// (found in their Go modules, fetched through the Go module proxy by scripts/k8s-tools.sh): one
// file per kind and served version, `scaledobject-keda-v1alpha1.json`, strict like the core ones
// (objects without x-kubernetes-preserve-unknown-fields refuse undeclared properties).
//   node scripts/k8s/crd-schemas.mjs <out dir> <crd.yaml>...
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { parseAllDocuments } = require('yaml');
const [outDir, ...files] = process.argv.slice(2);
if (!outDir || files.length === 0) {
  process.stderr.write('usage: crd-schemas.mjs <out dir> <crd.yaml>...\n');
  process.exit(2);
}

function strict(node) {
  if (Array.isArray(node)) return node.map(strict);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description') continue;
    out[key] = strict(value);
  }
  if (out['x-kubernetes-int-or-string']) {
    delete out.type;
    out.oneOf = [{ type: 'string' }, { type: 'integer' }];
  }
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    !out['x-kubernetes-preserve-unknown-fields']
  )
    out.additionalProperties = false;
  return out;
}

mkdirSync(outDir, { recursive: true });
let written = 0;
for (const file of files) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const crd = doc.toJS();
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const { group, names, versions } = crd.spec;
    for (const version of versions) {
      const schema = version.schema?.openAPIV3Schema;
      if (!schema) continue;
      const body = strict(schema);
      // apiVersion/kind/metadata are checked by kubeconform itself; allow them explicitly.
      body.properties = {
        ...body.properties,
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
      };
      const name = `${names.kind.toLowerCase()}-${group.split('.')[0]}-${version.name}.json`;
      writeFileSync(
        join(outDir, name),
        JSON.stringify({ $schema: 'http://json-schema.org/schema#', ...body }),
      );
      written++;
    }
  }
}
process.stdout.write(`${written} custom resource schemas in ${outDir}\n`);
