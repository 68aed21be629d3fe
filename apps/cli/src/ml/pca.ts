/**
 * The first two principal components of row vectors, by power iteration with deflation on the
 * covariance (cheap for 2 components of a few thousand 1,280-d rows, no linear-algebra dependency).
 */
export function projectTo2d(rows: readonly Float32Array[], iterations = 100): [number, number][] {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const mean = new Float64Array(d);
  for (const r of rows) for (let k = 0; k < d; k++) mean[k]! += r[k]! / n;
  const centered = rows.map((r) => Float64Array.from(r, (x, k) => x - mean[k]!));
  const components: Float64Array[] = [];
  for (let c = 0; c < 2; c++) {
    let v = Float64Array.from({ length: d }, (_, k) => Math.sin(k + 1 + c * 7));
    for (let it = 0; it < iterations; it++) {
      // w = Cᵀ C v, without forming the d × d covariance
      const w = new Float64Array(d);
      for (const x of centered) {
        let s = 0;
        for (let k = 0; k < d; k++) s += x[k]! * v[k]!;
        for (let k = 0; k < d; k++) w[k]! += s * x[k]!;
      }
      for (const prev of components) {
        let s = 0;
        for (let k = 0; k < d; k++) s += w[k]! * prev[k]!;
        for (let k = 0; k < d; k++) w[k]! -= s * prev[k]!;
      }
      const norm = Math.hypot(...w) || 1;
      v = w.map((x) => x / norm);
    }
    components.push(v);
  }
  return centered.map((x) => {
    const p = components.map((comp) => x.reduce((s, xi, k) => s + xi * comp[k]!, 0));
    return [p[0]!, p[1]!];
  });
}

const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/** An SVG scatter plot of 2-D points coloured by label, with a legend. */
export function scatterSvg(
  points: readonly [number, number][],
  labels: readonly string[],
  title: string,
): string {
  const W = 800;
  const H = 600;
  const M = 40;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (x: number): number => M + ((x - x0) / (x1 - x0 || 1)) * (W - 2 * M - 160);
  const sy = (y: number): number => H - M - ((y - y0) / (y1 - y0 || 1)) * (H - 2 * M);
  const distinct = [...new Set(labels)].sort();
  const colour = (label: string): string => PALETTE[distinct.indexOf(label) % PALETTE.length]!;
  const escape = (s: string): string => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${M}" y="24" font-size="14">${escape(title)}</text>`,
    ...points.map(
      (p, i) =>
        `<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="3" fill="${colour(labels[i]!)}" fill-opacity="0.7"/>`,
    ),
    ...distinct.map(
      (label, i) =>
        `<circle cx="${W - 150}" cy="${M + 10 + i * 18}" r="5" fill="${colour(label)}"/><text x="${W - 140}" y="${M + 14 + i * 18}">${escape(label)}</text>`,
    ),
    '</svg>',
  ].join('\n');
}
