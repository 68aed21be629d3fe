import { evaluateRetrieval, type EvaluatedImage } from './retrieval-metrics';

const v = (...xs: number[]): Float32Array => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};
const image = (label: string, visual: Float32Array, tags: string[]): EvaluatedImage => ({
  label,
  visual,
  semantic: visual,
  tags,
});

describe('evaluateRetrieval', () => {
  const images = [
    image('cat', v(1, 0.1), ['cat', 'dog']),
    image('cat', v(1, 0.2), ['dog', 'cat']),
    image('dog', v(0.1, 1), ['dog']),
    image('dog', v(0.2, 1), ['cat', 'x', 'y', 'z', 'w', 'dog']),
  ];
  const words = new Map([
    ['cat', ['cat']],
    ['dog', ['dog']],
  ]);

  it('scores tags at 1 and 5 against the label words', () => {
    const { overall } = evaluateRetrieval(images, words, new Map());
    expect(overall.tagP1).toBe(0.5); // images 0 and 2
    expect(overall.tagP5).toBe(0.75); // image 3's hit is sixth
  });

  it('scores similar items among the other images', () => {
    const { overall } = evaluateRetrieval(images, words, new Map());
    // each image has 3 others, 1 of the same label
    expect(overall.simP10).toBeCloseTo(1 / 3, 10);
  });

  it('scores text queries by the share of the label found in the top 10', () => {
    const { overall, perLabel } = evaluateRetrieval(
      images,
      words,
      new Map([
        ['cat', v(1, 0)],
        ['dog', null],
      ]),
    );
    expect(perLabel.find((l) => l.label === 'cat')!.textR10).toBe(1);
    expect(perLabel.find((l) => l.label === 'dog')!.textR10).toBe(0); // no query vector
    expect(overall.textR10).toBe(0.5);
    expect(overall.n).toBe(4);
  });

  it("counts what each label's images were first tagged as", () => {
    const { confusion } = evaluateRetrieval(images, words, new Map());
    expect(confusion).toEqual({ cat: { cat: 1, dog: 1 }, dog: { dog: 1, cat: 1 } });
  });

  it('counts a first tag outside every label as other', () => {
    const { confusion } = evaluateRetrieval([image('cat', v(1, 0), ['hat'])], words, new Map());
    expect(confusion).toEqual({ cat: { other: 1 } });
  });
});
