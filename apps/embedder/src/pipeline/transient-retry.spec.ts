import { ContractViolationError } from '@catalens/contracts';
import { VectorStoreUnavailableError } from '@catalens/vector-store';
import { BatchAbandonedError, TransientRetry, isPermanent } from './transient-retry';

function recorder() {
  const events: string[] = [];
  return {
    events,
    hooks: {
      onRetry: (stage: string, attempt: number, error: Error) =>
        events.push(`retry ${stage} ${attempt} ${error.message}`),
      onRecovered: (stage: string) => events.push(`recovered ${stage}`),
    },
  };
}

describe('TransientRetry', () => {
  it('waits out an unavailable dependency and reports the retries and the recovery', async () => {
    const { events, hooks } = recorder();
    const retrying = new TransientRetry({ initialMs: 1, maxMs: 2 }, hooks);
    let calls = 0;
    const result = await retrying.run('store', new AbortController().signal, async () => {
      if (++calls < 4) throw new VectorStoreUnavailableError('down');
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    expect(events).toEqual([
      'retry store 1 down',
      'retry store 2 down',
      'retry store 3 down',
      'recovered store',
    ]);
  });

  it('does not retry a permanent error', async () => {
    const { events, hooks } = recorder();
    const retrying = new TransientRetry({ initialMs: 1, maxMs: 2 }, hooks);
    let calls = 0;
    await expect(
      retrying.run('database', new AbortController().signal, async () => {
        calls++;
        throw new ContractViolationError('image.bytes', 'bad');
      }),
    ).rejects.toBeInstanceOf(ContractViolationError);
    expect(calls).toBe(1);
    expect(events).toEqual([]);
  });

  it('gives up with BatchAbandonedError once the signal aborts', async () => {
    const { hooks } = recorder();
    const retrying = new TransientRetry({ initialMs: 5, maxMs: 5 }, hooks);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 30);
    await expect(
      retrying.run('broker', stop.signal, async () => {
        throw new Error('ECONNREFUSED');
      }),
    ).rejects.toBeInstanceOf(BatchAbandonedError);
  });

  it('classifies programming errors and contract violations as permanent, connection errors as transient', () => {
    expect(isPermanent(new TypeError('x is undefined'))).toBe(true);
    expect(isPermanent(new ContractViolationError('f', 'r'))).toBe(true);
    expect(isPermanent(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBe(false);
    expect(isPermanent(new VectorStoreUnavailableError('down'))).toBe(false);
  });
});
