import { findTextFault } from '@catalens/contracts';
import { z } from 'zod';

/** Base64 image data is checked as base64 (and is too large to walk twice). */
const NOT_TEXT = new Set(['imageBase64']);

// Ids end up in URLs, logs and Kafka keys: no control characters (C0 and DEL).
const noControlChars = (s: string) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

const attributeValue = z.union([
  z.string().max(2_000),
  z.number().finite(),
  z.boolean(),
  z.null(),
  z.array(z.string().max(200)).max(100),
]);

/** One catalog item as clients send it (JSON body, batch element, feed line, upload fields). */
export const itemInputSchema = z
  .strictObject({
    externalId: z
      .string()
      .trim()
      .min(1)
      .max(256)
      .refine(noControlChars, 'must not contain control characters'),
    title: z.string().trim().min(1).max(1_000),
    description: z.string().max(20_000).optional(),
    category: z.string().trim().min(1).max(200).optional(),
    price: z.number().finite().nonnegative().max(1e12).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR')
      .optional(),
    attributes: z
      .record(z.string().min(1).max(200), attributeValue)
      .refine((a) => Object.keys(a).length <= 100, 'at most 100 attributes')
      .optional(),
    imageUrl: z.string().max(4_096).optional(),
    imageBase64: z.string().max(28_000_000).optional(),
  })
  .refine((i) => (i.imageUrl === undefined) !== (i.imageBase64 === undefined), {
    message: 'send exactly one of imageUrl or imageBase64',
    path: ['imageUrl'],
  })
  // U+0000 (PostgreSQL refuses it) and lone surrogates (stored as U+FFFD) in any text, keys too.
  .superRefine((item, ctx) => {
    const fault = findTextFault(item, NOT_TEXT);
    if (fault) ctx.addIssue({ code: 'custom', path: fault.path, message: fault.message });
  });

export type ItemInput = z.infer<typeof itemInputSchema>;

export const MAX_BATCH_ITEMS = 1_000;
