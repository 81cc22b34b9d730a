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
  encryptCodeForEach,
  generateKeyPair,
  parseCiphertext,
  parsePublicKey,
  rekey,
  rerandomize,
  reshuffle,
  type ElGamalKeyPair,
} from './elgamal';
export { describeEdge, edgeKey, type Edge } from './edge';
export { transform, type EdgeFactors } from './edge-factors';
export type { PartyId } from './party-id';
export * from './key-bundles';
export * from './key-ceremony';
export * from './code-issuance';
export * from './blind-translation';
export * from './edge-endpoints';
export { RationalSpan, type Monomial } from './breach/rational-span';
export * from './breach/factor-algebra';
export * from './breach/composition-search';
export * from './breach/breach-arithmetic';
