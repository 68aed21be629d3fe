import fc from 'fast-check';
import { findTextFault, textFault } from './text';

describe('textFault', () => {
  it('accepts any well-formed Unicode without U+0000', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(textFault(s.replaceAll('\u0000', ''))).toBeUndefined();
      }),
    );
  });

  it('refuses U+0000 anywhere, saying where', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const clean = a.replaceAll('\u0000', '');
        expect(textFault(`${clean}\u0000${b}`)).toMatch(
          new RegExp(`U\\+0000 \\(NUL\\) at character ${clean.length}`),
        );
      }),
    );
  });

  it('refuses a lone high or low surrogate but keeps surrogate pairs', () => {
    expect(textFault('a\ud800')).toMatch(/lone UTF-16 surrogate \(\\ud800\) at character 1/);
    expect(textFault('\udc00b')).toMatch(/lone UTF-16 surrogate \(\\udc00\) at character 0/);
    expect(textFault('\ud800\ud800\udc00')).toMatch(/at character 0/);
    expect(textFault('👟 sneaker 😀')).toBeUndefined();
  });
});

describe('findTextFault', () => {
  it('names the path of the first bad string, key or value, skipping what it is told to', () => {
    expect(findTextFault({ title: 'ok', attributes: { colour: ['red', 'b\u0000'] } })?.path).toEqual([
      'attributes',
      'colour',
      1,
    ]);
    expect(findTextFault({ attributes: { ['k\ud800']: 1 } })).toMatchObject({
      path: ['attributes', 'k\ud800'],
      message: expect.stringMatching(/^its name contains a lone/),
    });
    expect(findTextFault({ imageBase64: '\u0000' }, new Set(['imageBase64']))).toBeUndefined();
  });
});
