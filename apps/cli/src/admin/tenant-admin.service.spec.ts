import { CliUsageError, parseRoles } from './tenant-admin.service';

describe('parseRoles', () => {
  it('accepts known roles, trimmed and de-duplicated', () => {
    expect(parseRoles(' ingest,search,ingest ')).toEqual(['ingest', 'search']);
  });

  it('names unknown roles and lists the valid ones', () => {
    expect(() => parseRoles('ingest,root')).toThrow(
      new CliUsageError('--roles has unknown role(s) root; choose from ingest, search, curate, admin'),
    );
  });

  it('rejects an empty list', () => {
    expect(() => parseRoles(' , ')).toThrow(/--roles is empty/);
  });
});
