import { z } from 'zod';
import { isValidMyNumber } from '@myna/codes';

/**
 * Code issuance (DESIGN §4): an agency sends the My Number and all four basic
 * facts of the people it enrols, sealed to code-issuer; the issuer answers with
 * each person's agency code, sealed to that agency. Batches keep seeding fast.
 */
export const CODE_ISSUANCE_REQUEST_TYPE = 'code-issuance-request+jwt';
export const CODE_ISSUANCE_RESPONSE_TYPE = 'code-issuance-response+jwt';
export const CODE_ISSUANCE_MAX_BATCH = 1000;
export const CODE_ISSUANCE_TTL_SECONDS = 120;

export const GENDERS = ['female', 'male', 'other'] as const;

/** The four basic facts (基本4情報) as the register and the card face hold them. */
export const basicFactsSchema = z.strictObject({
  name: z.string().trim().min(1, 'name is required').max(200),
  address: z.string().trim().min(1, 'address is required').max(400),
  dateOfBirth: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'dateOfBirth must be YYYY-MM-DD')
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'dateOfBirth is not a calendar date'),
  gender: z.enum(GENDERS),
});
export type BasicFacts = z.infer<typeof basicFactsSchema>;

export const codeIssuanceRequestClaimsSchema = z.object({
  persons: z
    .array(
      basicFactsSchema.extend({
        /** The requester's own reference for this person in the batch (not an identifier). */
        ref: z.string().min(1).max(64),
        myNumber: z.string().refine(isValidMyNumber, 'myNumber is not a valid My Number'),
      }),
    )
    .min(1)
    .max(CODE_ISSUANCE_MAX_BATCH),
});
export type CodeIssuanceRequestClaims = z.infer<typeof codeIssuanceRequestClaimsSchema>;

export const codeIssuanceResultSchema = z.discriminatedUnion('status', [
  z.strictObject({ ref: z.string(), status: z.literal('issued'), agencyCode: z.string().startsWith('ac1.') }),
  z.strictObject({ ref: z.string(), status: z.literal('refused'), reason: z.string() }),
]);
export type CodeIssuanceResult = z.infer<typeof codeIssuanceResultSchema>;

export const codeIssuanceResponseClaimsSchema = z.object({
  requestId: z.string(),
  results: z.array(codeIssuanceResultSchema),
});
export type CodeIssuanceResponseClaims = z.infer<typeof codeIssuanceResponseClaimsSchema>;

/** First problem of a zod parse, as one readable line. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}
