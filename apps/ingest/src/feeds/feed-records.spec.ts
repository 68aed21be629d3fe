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

  it('stops at the first NDJSON or CSV line that is not UTF-8, naming it, after the lines before it', async () => {
    const latin1 = Buffer.from('{"externalId":"c","title":"caf\xe9"}\n', 'latin1');
    const ndjson = Readable.from([
      Buffer.from('{"externalId":"a","title":"A"}\n{"externalId":"b",'),
      Buffer.from('"title":"B"}\n'),
      latin1,
    ]);
    const seen: FeedRecord[] = [];
    await expect(
      (async () => {
        for await (const r of ndjsonRecords(ndjson)) seen.push(r);
      })(),
    ).rejects.toMatchObject({ code: 'FEED_INVALID_UTF8', line: 3, message: 'line 3 is not valid UTF-8' });
    expect(seen.map((r) => r.line)).toEqual([1, 2]);
    const csv = Readable.from([Buffer.from('externalId,title\nx,"caf'), Buffer.from([0xe9, 0x22, 0x0a])]);
    await expect(collect(csvRecords(csv))).rejects.toMatchObject({ code: 'FEED_INVALID_UTF8', line: 2 });
    const unterminated = Readable.from([Buffer.from([0x7b, 0xff])]);
    await expect(collect(ndjsonRecords(unterminated))).rejects.toMatchObject({ line: 1 });
  });

  it('keeps multi-byte characters split across chunks', async () => {
    const text = Buffer.from('{"externalId":"é","title":"👟"}\n');
    const body = Readable.from([text.subarray(0, 17), text.subarray(17, 29), text.subarray(29)]);
    expect(await collect(ndjsonRecords(body))).toEqual([{ line: 1, item: { externalId: 'é', title: '👟' } }]);
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
