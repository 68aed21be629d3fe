import { CliUsageError } from '../admin/tenant-admin.service';
import { parseSince } from './dlq.command';

describe('parseSince', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');

  it('reads durations back from now', () => {
    expect(parseSince('30m', now).toISOString()).toBe('2026-11-23T11:30:00.000Z');
    expect(parseSince('6h', now).toISOString()).toBe('2026-11-23T06:00:00.000Z');
    expect(parseSince('2d', now).toISOString()).toBe('2026-11-21T12:00:00.000Z');
  });

  it('reads ISO times', () => {
    expect(parseSince('2026-11-20T08:00:00Z', now).toISOString()).toBe('2026-11-20T08:00:00.000Z');
  });

  it('refuses anything else, saying what it expects', () => {
    expect(() => parseSince('last tuesday', now)).toThrow(CliUsageError);
    expect(() => parseSince('5w', now)).toThrow(/ISO time or a duration such as 30m/);
  });
});
