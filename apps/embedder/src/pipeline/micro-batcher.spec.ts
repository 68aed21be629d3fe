import { type BatchOutcome, MicroBatcher } from './micro-batcher';

const ok = <O>(value: O): BatchOutcome<O> => ({ ok: true, value });

function recordingRunner(delayMs = 0) {
  const batches: number[][] = [];
  let active = 0;
  let maxActive = 0;
  const run = async (inputs: number[]) => {
    batches.push(inputs);
    active++;
    maxActive = Math.max(maxActive, active);
    await new Promise((r) => setTimeout(r, delayMs));
    active--;
    return inputs.map((i) => ok(i * 10));
  };
  return { run, batches, maxActive: () => maxActive };
}

describe('MicroBatcher', () => {
  it('runs a full batch at once without waiting for the timer', async () => {
    const runner = recordingRunner();
    const batcher = new MicroBatcher(runner.run, { maxBatch: 4, maxWaitMs: 60_000, concurrency: 1 });
    const results = await Promise.all([1, 2, 3, 4].map((i) => batcher.submit(i)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(runner.batches).toEqual([[1, 2, 3, 4]]);
  });

  it('runs a partial batch once its oldest input waited maxWaitMs', async () => {
    const runner = recordingRunner();
    const batcher = new MicroBatcher(runner.run, { maxBatch: 8, maxWaitMs: 20, concurrency: 1 });
    const started = performance.now();
    await expect(Promise.all([batcher.submit(1), batcher.submit(2)])).resolves.toEqual([10, 20]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    expect(runner.batches).toEqual([[1, 2]]);
  });

  it('never runs more batches at once than its concurrency and splits a burst into maxBatch pieces', async () => {
    const runner = recordingRunner(10);
    const batcher = new MicroBatcher(runner.run, { maxBatch: 3, maxWaitMs: 5, concurrency: 2 });
    const inputs = Array.from({ length: 20 }, (_, i) => i);
    const results = await Promise.all(inputs.map((i) => batcher.submit(i)));
    expect(results).toEqual(inputs.map((i) => i * 10));
    expect(runner.maxActive()).toBe(2);
    expect(Math.max(...runner.batches.map((b) => b.length))).toBe(3);
    expect(runner.batches.flat().sort((a, b) => a - b)).toEqual(inputs);
  });

  it('fails only the input whose outcome is an error', async () => {
    const batcher = new MicroBatcher<number, number>(
      async (inputs) =>
        inputs.map((i) => (i === 2 ? { ok: false as const, error: new Error('bad image 2') } : ok(i))),
      { maxBatch: 3, maxWaitMs: 1, concurrency: 1 },
    );
    const settled = await Promise.allSettled([1, 2, 3].map((i) => batcher.submit(i)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toEqual(new Error('bad image 2'));
  });

  it('fails every input of a batch whose runner throws, and keeps serving later batches', async () => {
    let calls = 0;
    const batcher = new MicroBatcher<number, number>(
      async (inputs) => {
        if (calls++ === 0) throw new Error('worker died');
        return inputs.map(ok);
      },
      { maxBatch: 2, maxWaitMs: 1, concurrency: 1 },
    );
    const first = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(first.every((s) => s.status === 'rejected')).toBe(true);
    await expect(batcher.submit(3)).resolves.toBe(3);
  });

  it('reports each dispatched batch with its size and wait', async () => {
    const seen: [number, number][] = [];
    const batcher = new MicroBatcher<number, number>(async (inputs) => inputs.map(ok), {
      maxBatch: 2,
      maxWaitMs: 1,
      concurrency: 1,
      onDispatch: (size, wait) => seen.push([size, wait]),
    });
    await Promise.all([1, 2, 3].map((i) => batcher.submit(i)));
    expect(seen.map(([size]) => size)).toEqual([2, 1]);
    expect(seen.every(([, wait]) => wait >= 0 && wait < 1)).toBe(true);
  });

  it('rejects waiting inputs when closed', async () => {
    const batcher = new MicroBatcher<number, number>(async (inputs) => inputs.map(ok), {
      maxBatch: 10,
      maxWaitMs: 60_000,
      concurrency: 1,
    });
    const pending = batcher.submit(1);
    batcher.close();
    await expect(pending).rejects.toThrow('closed');
    await expect(batcher.submit(2)).rejects.toThrow('closed');
  });
});
