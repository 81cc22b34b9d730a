import { z } from 'zod';
import { CODE_ISSUANCE_MAX_BATCH, GENDERS } from '@myna/protocol';

// The enrolment body is validated by zod alone (ZodBodyPipe): a batch carries a
// thousand people's records, which the global ValidationPipe would walk twice
// and copy whole before the agency's own record schema parses them anyway.
// What the shape does not say (the check digit, a calendar date, the records'
// schema) EnrolmentService checks before code-issuer is asked.

/** The records stay as sent, for the agency's own schema to parse: an object, checked without a copy. */
const records = z
  .custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), { error: 'must be an object' })
  .meta({ type: 'object', description: "This agency's own records about the person (see the agency's schema)." });

export const enrolPersonSchema = z.strictObject({
  myNumber: z
    .string()
    .regex(/^\d{12}$/, 'must be 12 digits')
    .meta({ description: 'My Number (個人番号), as written on the form. Used once to obtain the agency code, then discarded.', example: '123456789018' }),
  name: z.string().min(1).max(200).meta({ example: 'Hanako Sato' }),
  address: z.string().min(1).max(400).meta({ example: '1-2-3 Kasumigaseki, Chiyoda-ku, Tokyo' }),
  dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').meta({ example: '1980-04-01' }),
  gender: z.enum(GENDERS),
  keepContactData: z.boolean().optional().meta({ description: 'Keep name, address and date of birth as contact data (off by default: data minimization).' }),
  records: records.optional(),
});
export type EnrolPerson = z.infer<typeof enrolPersonSchema>;

export const enrolBatchSchema = z.strictObject({
  persons: z.array(enrolPersonSchema).min(1).max(CODE_ISSUANCE_MAX_BATCH),
});
export type EnrolBatch = z.infer<typeof enrolBatchSchema>;

export type EnrolmentOutcome =
  | { status: 'enrolled'; personId: string }
  | { status: 'already-enrolled'; personId: string }
  | { status: 'refused'; reason: string };
