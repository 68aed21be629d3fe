import { z } from 'zod';
import { ContractViolationError } from './errors';

export const DLQ_SCHEMA_V1 = 'catalens.item.dlq.v1';

/**
 * Headers a DLQ replay puts on the re-published record: if it fails again, its new dead letter
 * counts on from these (attempts + 1, same first failure time).
 */
export const DLQ_REPLAY_HEADERS = {
  attempts: 'catalens-dlq-attempts',
  firstFailedAt: 'catalens-dlq-first-failed-at',
} as const;

/** A record that failed permanently or too often, with everything needed to replay it. */
export const dlqEnvelopeV1Schema = z.strictObject({
  schema: z.literal(DLQ_SCHEMA_V1),
  source: z.strictObject({
    topic: z.string().min(1),
    partition: z.number().int().min(0),
    offset: z.string().regex(/^\d+$/),
    key: z.string().nullable(),
    /** The original value, base64, byte for byte. */
    value: z.string().nullable(),
    headers: z.record(z.string(), z.string()),
  }),
  error: z.strictObject({
    class: z.string().min(1),
    message: z.string(),
    permanent: z.boolean(),
  }),
  attempts: z.number().int().min(1),
  firstFailedAt: z.iso.datetime(),
  lastFailedAt: z.iso.datetime(),
});

export type DlqEnvelopeV1 = z.infer<typeof dlqEnvelopeV1Schema>;

export function encodeDlqEnvelope(envelope: DlqEnvelopeV1): Buffer {
  const parsed = dlqEnvelopeV1Schema.safeParse(envelope);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ContractViolationError(issue.path.join('.') || '(root)', issue.message);
  }
  return Buffer.from(JSON.stringify(parsed.data), 'utf8');
}

export function decodeDlqEnvelope(value: Buffer): DlqEnvelopeV1 {
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    throw new ContractViolationError('(root)', 'DLQ record is not JSON');
  }
  const parsed = dlqEnvelopeV1Schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ContractViolationError(issue.path.join('.') || '(root)', issue.message);
  }
  return parsed.data;
}
