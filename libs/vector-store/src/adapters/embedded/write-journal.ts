import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { Filter } from '../../filter/filter';
import type { Payload } from '../../vector-store.port';
import type { ValidPoint } from '../../validation';

/** One write as the journal keeps it; vectors are Float32 little-endian in base64. */
export type JournalOp =
  | { op: 'upsert'; points: { id: string; vectors: Record<string, string>; payload: Payload }[] }
  | { op: 'delete'; ids: string[] }
  | { op: 'deleteWhere'; filter: Filter };

function encodeVector(v: Float32Array): string {
  const bytes = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => bytes.writeFloatLE(x, i * 4));
  return bytes.toString('base64');
}

function decodeVector(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

export const journalUpsert = (points: readonly ValidPoint[]): JournalOp => ({
  op: 'upsert',
  points: points.map((p) => ({
    id: p.id,
    vectors: Object.fromEntries(Object.entries(p.vectors).map(([k, v]) => [k, encodeVector(v)])),
    payload: p.payload,
  })),
});

export const journalPoints = (op: Extract<JournalOp, { op: 'upsert' }>): ValidPoint[] =>
  op.points.map((p) => ({
    id: p.id,
    vectors: Object.fromEntries(Object.entries(p.vectors).map(([k, v]) => [k, decodeVector(v)])),
    payload: p.payload,
  }));

/**
 * The adapter's own write-ahead journal in front of zvec. Every write is appended (length-prefixed
 * JSON, one `write(2)` per op, so it is in the kernel before the call returns and survives the
 * process being killed) before zvec applies it. On open, whatever the journal holds is applied
 * again — upserts and deletes are idempotent and replayed in order — and the journal is emptied
 * once zvec has closed (and so persisted) the collection: at a clean close, after a replay, and
 * whenever the journal outgrows its limit. Why: under CPU pressure zvec 0.7 was measured losing
 * writes it had acknowledged when the process was SIGKILLed (docs/decisions/0004).
 * Not fsynced: an operating-system crash or power loss can still lose the last writes.
 */
export class WriteJournal {
  private fd: number;

  constructor(private readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  get size(): number {
    return fstatSync(this.fd).size;
  }

  append(op: JournalOp): void {
    const body = Buffer.from(JSON.stringify(op));
    const record = Buffer.alloc(4 + body.length);
    record.writeUInt32LE(body.length, 0);
    body.copy(record, 4);
    let written = 0;
    while (written < record.length) written += writeSync(this.fd, record, written);
  }

  /** What this journal holds now (see `read`). */
  ops(): JournalOp[] {
    return WriteJournal.read(this.path);
  }

  /** The complete ops in order; a torn last record (a write that never returned) is ignored. */
  static read(path: string): JournalOp[] {
    if (!existsSync(path)) return [];
    const data = readFileSync(path);
    const ops: JournalOp[] = [];
    let at = 0;
    while (at + 4 <= data.length) {
      const length = data.readUInt32LE(at);
      if (at + 4 + length > data.length) break;
      ops.push(JSON.parse(data.subarray(at + 4, at + 4 + length).toString('utf8')) as JournalOp);
      at += 4 + length;
    }
    return ops;
  }

  /** Empties the journal; call only once zvec has persisted everything it holds. */
  reset(): void {
    ftruncateSync(this.fd, 0);
  }

  close(): void {
    closeSync(this.fd);
  }
}
