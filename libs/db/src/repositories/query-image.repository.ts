import type { PrismaClient } from '../generated/prisma/client';

export interface QueryImageRecord {
  id: string;
  modelId: string;
  vector: Float32Array;
  width: number;
  height: number;
  expiresAt: Date;
}

function littleEndian(vector: Float32Array): Uint8Array<ArrayBuffer> {
  const out = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => out.writeFloatLE(v, i * 4));
  return new Uint8Array(out);
}

/** Uploaded query images' vectors, per tenant, until they expire. */
export class QueryImageRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async save(
    tenantId: string,
    image: Omit<QueryImageRecord, 'id' | 'expiresAt'>,
    ttlMs: number,
  ): Promise<QueryImageRecord> {
    const now = Date.now();
    // Expired rows go as new ones come: the table holds at most one TTL's worth of uploads.
    await this.prisma.queryImage.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
    const row = await this.prisma.queryImage.create({
      data: {
        tenantId,
        modelId: image.modelId,
        vector: littleEndian(image.vector),
        width: image.width,
        height: image.height,
        expiresAt: new Date(now + ttlMs),
      },
    });
    return { ...image, id: row.id, expiresAt: row.expiresAt };
  }

  /** The tenant's unexpired query image, or undefined (unknown, expired or another tenant's). */
  async find(tenantId: string, id: string): Promise<QueryImageRecord | undefined> {
    const row = await this.prisma.queryImage.findFirst({
      where: { id, tenantId, expiresAt: { gt: new Date() } },
    });
    if (!row) return undefined;
    const bytes = Buffer.from(row.vector);
    const vector = new Float32Array(bytes.length / 4);
    for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
    return {
      id: row.id,
      modelId: row.modelId,
      vector,
      width: row.width,
      height: row.height,
      expiresAt: row.expiresAt,
    };
  }
}
