import { createHash } from 'node:crypto';
import type { ItemFeedback } from '@catalens/db';

/** One labelled item: what the tenant says it is, and is not. */
export interface FeedbackExample {
  itemId: string;
  /** Accepted and manual tags, and the feed's category: the words it is. */
  positives: string[];
  /** Rejected tags: the words it is not (hard negatives). */
  negatives: string[];
  /** The one word it is scored on in evaluation: its category, else its first accepted word. */
  label: string;
  /** Never trained on: the slice a candidate head is judged on. */
  heldOut: boolean;
}

/**
 * Whether an item is held out: by a hash of its id, so the split is the same on every run and
 * every replica, and an item never moves from one side to the other between trainings.
 */
export function isHeldOut(itemId: string, share: number): boolean {
  const bucket = createHash('sha1').update(itemId).digest().readUInt32BE(0) / 0x1_0000_0000;
  return bucket < share;
}

/**
 * Training examples from a tenant's feedback. Words the word vectors do not know (brand names)
 * cannot be targets and are left out (returned in `unknownWords`); an item with no known positive
 * word teaches nothing and is skipped.
 */
export function feedbackExamples(
  feedback: readonly ItemFeedback[],
  known: (word: string) => boolean,
  heldOutShare = 0.25,
): { examples: FeedbackExample[]; unknownWords: string[] } {
  const unknown = new Set<string>();
  const keep = (words: readonly (string | null)[]) =>
    [...new Set(words.filter((w): w is string => !!w))].filter((w) =>
      known(w) ? true : (unknown.add(w), false),
    );
  const examples: FeedbackExample[] = [];
  for (const f of feedback) {
    const positives = keep([f.category, ...[...f.accepted].sort()]);
    if (positives.length === 0) continue;
    const negatives = keep(f.rejected).filter((w) => !positives.includes(w));
    examples.push({
      itemId: f.itemId,
      positives,
      negatives,
      label: positives[0]!,
      heldOut: isHeldOut(f.itemId, heldOutShare),
    });
  }
  return { examples, unknownWords: [...unknown].sort() };
}
