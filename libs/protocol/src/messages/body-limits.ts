/**
 * The largest legitimate bodies of the bulk routes, measured on the seed's
 * population with contact data, in batches of 1,000 (tools/seed, 20,000 citizens):
 * registering citizens, enrolling persons (health, with its claims), and the
 * sealed code-issuance request an agency sends for such a batch.
 */
export const LARGEST_LEGITIMATE_BODIES = {
  citizensBatch: 157_655,
  personsBatch: 724_957,
  codeIssuance: 298_304,
} as const;

/**
 * The byte limits of the bulk routes, part of the services' contract with their
 * callers: about one and a half times the largest legitimate body, so that twice
 * it is refused with 413. Every other route takes at most 32 KiB.
 */
export const BULK_BODY_LIMITS = {
  citizensBatch: 256 * 1024,
  personsBatch: 1024 * 1024,
  codeIssuance: 512 * 1024,
} as const;
