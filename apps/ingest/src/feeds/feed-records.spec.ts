import { Readable } from 'node:stream';
import {
  type FeedRecord,
  MAX_FEED_LINE_BYTES,
  csvRecords,
  feedFormatOf,
  ndjsonRecords,
} from './feed-records';

const collect = async (records: AsyncGenerator<FeedRecord>) => {
  const out: FeedRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
};

describe('feed records', () => {
  it('chooses the parser from the content type only', () => {
    expect(feedFormatOf('application/x-ndjson; charset=utf-8')).toBe('ndjson');
    expect(feedFormatOf('text/csv')).toBe('csv');
    expect(feedFormatOf('application/json')).toBeUndefined();
    expect(feedFormatOf(undefined)).toBeUndefined();
  });

  it('reads NDJSON with line numbers, skipping blank lines and naming bad ones', async () => {
    const body = Readable.from([
      '{"externalId":"a","title":"A"}\n\n{"externalId":',
      '"b","title":"B"}\nnot json\n[1,2]\n',
    ]);
    expect(await collect(ndjsonRecords(body))).toEqual([
      { line: 1, item: { externalId: 'a', title: 'A' } },
      { line: 3, item: { externalId: 'b', title: 'B' } },
      { line: 4, error: { code: 'INVALID_JSON', message: 'line 4 is not valid JSON' } },
      { line: 5, error: { code: 'INVALID_FIELD', message: 'line 5 must be a JSON object (one item)' } },
    ]);
  });

  it('refuses an NDJSON line longer than the limit instead of buffering it', async () => {
    const body = Readable.from([Buffer.alloc(MAX_FEED_LINE_BYTES + 10, 'x')]);
    await expect(collect(ndjsonRecords(body))).rejects.toThrow(/maximum buffer/);
  });

  it('reads CSV into typed item fields with attribute columns', async () => {
    const csv =
      'externalId,title,price,imageUrl,attr.colour,attributes\n' +
      'a,"Shoe, red",19.5,http://x/a.jpg,red,"{""size"":42}"\n' +
      'b,Hat,,http://x/b.jpg,,\n';
    expect(await collect(csvRecords(Readable.from([csv])))).toEqual([
      {
        line: 2,
        item: {
          externalId: 'a',
          title: 'Shoe, red',
          price: 19.5,
          imageUrl: 'http://x/a.jpg',
          attributes: { colour: 'red', size: 42 },
        },
      },
      { line: 3, item: { externalId: 'b', title: 'Hat', imageUrl: 'http://x/b.jpg' } },
    ]);
  });

  it('names a CSV line whose attributes cell is not JSON', async () => {
    const csv = 'externalId,title,attributes\na,Shoe,{broken\n';
    expect(await collect(csvRecords(Readable.from([csv])))).toEqual([
      {
        line: 2,
        error: { code: 'INVALID_FIELD', message: 'line 2: the attributes cell is not a JSON object' },
      },
    ]);
  });

  it('fails a CSV with an unclosed quote with a CSV error code', async () => {
    await expect(collect(csvRecords(Readable.from(['externalId,title\na,"open\n'])))).rejects.toMatchObject({
      code: expect.stringMatching(/^CSV_/),
    });
  });
});
