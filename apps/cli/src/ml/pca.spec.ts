import { projectTo2d, scatterSvg } from './pca';

describe('projectTo2d', () => {
  it('recovers the direction of largest spread as the first axis', () => {
    const rows = Array.from({ length: 50 }, (_, i) => Float32Array.from([i, 0.1 * Math.sin(i), 0]));
    const points = projectTo2d(rows);
    const spread = (k: 0 | 1): number =>
      Math.max(...points.map((p) => p[k])) - Math.min(...points.map((p) => p[k]));
    expect(spread(0)).toBeGreaterThan(40);
    expect(spread(1)).toBeLessThan(1);
  });
});

describe('scatterSvg', () => {
  it('draws one point per row and a legend entry per label, escaping label text', () => {
    const svg = scatterSvg(
      [
        [0, 0],
        [1, 1],
        [2, 0],
      ],
      ['a', 'b<c', 'a'],
      'title',
    );
    expect(svg.match(/<circle/g)).toHaveLength(3 + 2);
    expect(svg).toContain('b&#60;c');
  });
});
