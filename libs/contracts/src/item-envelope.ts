import { z } from 'zod';
import { ContractViolationError, EnvelopeTooLargeError, preview } from './errors';

export const ITEM_SCHEMA_V1 = 'catalens.item.v1';

/**
 * Encoded records are capped well under Kafka's default 1 MiB `message.max.bytes`, leaving room
 * for headers and batch overhead. A 512 px JPEG is ~30–80 KB, base64 adds a third.
 */
export const MAX_ENVELOPE_BYTES = 900 * 1024;
export const MAX_IMAGE_SIDE = 512;

const base64 = z
  .string()
  .min(4)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64 image bytes');

export const imageMimeSchema = z.enum(['image/jpeg', 'image/webp', 'image/png']);

export const itemMetadataSchema = z.strictObject({
  title: z.string().min(1).max(1000),
  description: z.string().max(20_000).optional(),
  category: z.string().min(1).max(200).optional(),
  price: z.number().finite().nonnegative().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR')
    .optional(),
  attributes: z.record(z.string().max(200), z.unknown()).optional(),
});

export const itemEnvelopeV1Schema = z.strictObject({
  schema: z.literal(ITEM_SCHEMA_V1),
  tenantId: z.uuid(),
  itemId: z.uuid(),
  externalId: z.string().min(1).max(256),
  contentHash: z.string().regex(/^[a-f0-9]{64}$/, 'expected a lowercase hex SHA-256'),
  perceptualHash: z
    .string()
    .regex(/^[a-f0-9]{16}$/, 'expected 16 lowercase hex digits')
    .optional(),
  duplicateOf: z.uuid().optional(),
  image: z.strictObject({
    mime: imageMimeSchema,
    width: z.number().int().min(1).max(MAX_IMAGE_SIDE),
    height: z.number().int().min(1).max(MAX_IMAGE_SIDE),
    size: z.number().int().positive(),
    bytes: base64,
  }),
  metadata: itemMetadataSchema,
  modelHint: z.string().max(200).optional(),
  traceparent: z
    .string()
    .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'expected a W3C traceparent')
    .optional(),
  producedAt: z.iso.datetime(),
});

export type ItemEnvelopeV1 = z.infer<typeof itemEnvelopeV1Schema>;

function violation(error: z.ZodError): ContractViolationError {
  const issue = error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return new ContractViolationError(field, issue.message);
}

/** Validates and encodes an envelope; throws ContractViolationError naming the field. */
export function encodeItemEnvelope(envelope: ItemEnvelopeV1, limit = MAX_ENVELOPE_BYTES): Buffer {
  const parsed = itemEnvelopeV1Schema.safeParse(envelope);
  if (!parsed.success) throw violation(parsed.error);
  const bytes = Buffer.from(JSON.stringify(parsed.data), 'utf8');
  if (bytes.length > limit) throw new EnvelopeTooLargeError(bytes.length, limit);
  const declared = Buffer.byteLength(parsed.data.image.bytes, 'base64');
  if (declared !== parsed.data.image.size) {
    throw new ContractViolationError(
      'image.size',
      `declares ${parsed.data.image.size} bytes but the image has ${declared}`,
    );
  }
  return bytes;
}

/**
 * Decodes a record value. Anything that is not a valid v1 envelope (not JSON, wrong schema tag,
 * missing or malformed field, over the size cap) throws ContractViolationError: a poison record.
 */
export function decodeItemEnvelope(value: Buffer | null, limit = MAX_ENVELOPE_BYTES): ItemEnvelopeV1 {
  if (value === null || value.length === 0) throw new ContractViolationError('(root)', 'record has no value');
  if (value.length > limit) throw new EnvelopeTooLargeError(value.length, limit);
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    throw new ContractViolationError('(root)', `not JSON: ${preview(value.toString('utf8', 0, 80))}`);
  }
  if (typeof json === 'object' && json !== null && 'schema' in json && json.schema !== ITEM_SCHEMA_V1) {
    throw new ContractViolationError(
      'schema',
      `unsupported schema ${preview(json.schema)}; this consumer reads ${ITEM_SCHEMA_V1}`,
    );
  }
  const parsed = itemEnvelopeV1Schema.safeParse(json);
  if (!parsed.success) throw violation(parsed.error);
  const declared = Buffer.byteLength(parsed.data.image.bytes, 'base64');
  if (declared !== parsed.data.image.size) {
    throw new ContractViolationError(
      'image.size',
      `declares ${parsed.data.image.size} bytes but the image has ${declared}`,
    );
  }
  return parsed.data;
}
