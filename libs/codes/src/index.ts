export * from './codes.exception';
export { osRandom, seededRandom, type RandomSource } from './random-source';
export * from './my-number';
export * from './residence-code';
export * from './processing-serial';
export { SecretScalar } from './secret-scalar';
export { GROUP_BACKEND_VARIABLE, groupBackend, groupReady, type GroupBackendName } from './group';
export {
  AGENCY_CODE_DST,
  AgencyCode,
  agencyCodesEqual,
  computeAgencyCode,
  parseAgencyCode,
} from './agency-code';
export {
  Ciphertext,
  ElGamalPublicKey,
  decryptCode,
  encryptCode,
  generateKeyPair,
  parseCiphertext,
  parsePublicKey,
  rekey,
  rerandomize,
  reshuffle,
  type ElGamalKeyPair,
} from './elgamal';
export { transform, type PairFactors } from './pair-factors';
export type { PartyId } from './party-id';
export * from './key-bundles';
export * from './key-ceremony';
export * from './code-issuance';
export * from './blind-translation';
