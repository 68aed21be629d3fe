import { projectTo2d } from '@catalens/vision';

export { projectTo2d };

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
