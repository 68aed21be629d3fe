import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUseError, lockDataDir, resetDataDir } from './data-dir';

describe('the data directory of the one-process mode', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'catalens-data-'));

  it('is locked by one process; a lock whose process is gone is taken over', () => {
    const d = dir();
    const release = lockDataDir(d);
    expect(readFileSync(join(d, '.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(join(d, '.lock'))).toBe(false);
    // pid 1 is alive (and not us): in use. A pid that cannot exist: stale, taken over.
    writeFileSync(join(d, '.lock'), '1');
    expect(() => lockDataDir(d)).toThrow(DataDirInUseError);
    expect(() => lockDataDir(d)).toThrow(/in use by another catalens \(pid 1\).*CATALENS_DATA_DIR/);
    writeFileSync(join(d, '.lock'), '4194999');
    lockDataDir(d)();
  });

  it('--reset removes only what this mode keeps there', () => {
    const d = dir();
    mkdirSync(join(d, 'postgres'));
    writeFileSync(join(d, 'postgres/PG_VERSION'), '17');
    writeFileSync(join(d, 'demo-api-keys.json'), '{}');
    writeFileSync(join(d, 'my-notes.txt'), 'keep me');
    expect(resetDataDir(d)).toEqual(['postgres', 'demo-api-keys.json']);
    expect(existsSync(join(d, 'my-notes.txt'))).toBe(true);
    expect(resetDataDir(d)).toEqual([]);
  });
});
