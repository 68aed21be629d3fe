import { DeviseProjector } from './devise';

describe('DeviseProjector', () => {
  it('maps a visual vector through the row-major kernel and normalizes', () => {
    // visual 2-d → semantic 2-d, kernel [[1, 0], [0, 2]] (row i = visual component i)
    const devise = new DeviseProjector('d', Float32Array.from([1, 0, 0, 2]), 2, 2);
    expect(Array.from(devise.project(Float32Array.from([3, 2])))).toEqual([
      0.6000000238418579, 0.800000011920929,
    ]);
  });

  it('refuses vectors of another image model', () => {
    expect(() => new DeviseProjector('d', new Float32Array(4), 2, 2).project(new Float32Array(3))).toThrow(
      /expects 2-d visual vectors/,
    );
  });
});
