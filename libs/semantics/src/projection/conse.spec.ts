import { ConseProjector } from './conse';

const unit = (...xs: number[]): Float32Array => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};

describe('ConseProjector', () => {
  const labels = [unit(1, 0, 0), unit(0, 1, 0), null, unit(0, 0, 1)];

  it('is the label vector when one label has all the probability', () => {
    expect(Array.from(new ConseProjector('t', labels).project(Float32Array.from([0, 1, 0, 0])))).toEqual([
      0, 1, 0,
    ]);
  });

  it('averages the top-T labels weighted by probability, skipping labels without vectors', () => {
    const v = new ConseProjector('t', labels, 2).project(Float32Array.from([0.2, 0.3, 0.45, 0.05]));
    expect(Array.from(v).map((x) => Number(x.toFixed(4)))).toEqual(
      Array.from(unit(0.2, 0.3, 0)).map((x) => Number(x.toFixed(4))),
    );
  });

  it('refuses probabilities of another classifier', () => {
    expect(() => new ConseProjector('t', labels).project(new Float32Array(3))).toThrow(
      /expected 4 label probabilities/,
    );
  });
});
