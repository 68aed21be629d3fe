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
