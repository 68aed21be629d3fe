import { SemanticHeadError, parseSemanticHead } from './semantic-head';

describe('parseSemanticHead', () => {
  it('reads conse and conse-t<T> as ConSE, anything else as a DeViSE head directory', () => {
    expect(parseSemanticHead('conse')).toEqual({ kind: 'conse', topT: 10 });
    expect(parseSemanticHead('conse-t3')).toEqual({ kind: 'conse', topT: 3 });
    expect(parseSemanticHead('data/heads/devise-x')).toEqual({ kind: 'devise', dir: 'data/heads/devise-x' });
    expect(parseSemanticHead('conse-t1000')).toEqual({ kind: 'devise', dir: 'conse-t1000' });
  });

  it('refuses a ConSE head over no class', () => {
    expect(() => parseSemanticHead('conse-t0')).toThrow(SemanticHeadError);
  });
});
