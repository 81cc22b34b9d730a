import { z } from 'zod';
import { isValidMyNumber } from '@myna/codes';
import { basicFactsSchema, describeIssue } from '@myna/protocol';
import { CardDataError } from '../card.exception';

/** A face photo as the chip keeps it: a small image, as a data URL. */
const photo = z
  .string()
  .max(256 * 1024, 'photo must be at most 256 kB')
  .regex(/^data:image\/(png|jpeg|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/, 'photo must be a base64 data URL of a PNG, JPEG or SVG image');

/**
 * The card face (券面事項): exactly what is printed on a My Number Card and kept
 * on its chip. Nothing else about the holder — no tax, pension or medical data —
 * has a place here: the schema is strict.
 */
export const cardFaceSchema = basicFactsSchema.extend({
  myNumber: z.string().refine(isValidMyNumber, 'myNumber is not a valid My Number'),
  photo,
});
export type CardFace = z.infer<typeof cardFaceSchema>;

/** The card-face fields, in the order a card shows them. */
export const CARD_FACE_FIELDS = ['myNumber', 'name', 'address', 'dateOfBirth', 'gender', 'photo'] as const satisfies readonly (keyof CardFace)[];

export function parseCardFace(input: unknown): CardFace {
  const parsed = cardFaceSchema.safeParse(input);
  if (!parsed.success) throw new CardDataError(`card face: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

/** `•••• •••• 9018`: enough for a holder to tell two cards apart, not enough to use the number. */
export function maskMyNumber(myNumber: string): string {
  return `•••• •••• ${myNumber.slice(-4)}`;
}
