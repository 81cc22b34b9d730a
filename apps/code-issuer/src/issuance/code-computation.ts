import { issueAgencyCodeFromBase, parseProcessingSerial, serialBasePoint, type IssuerBundle, type PartyId } from '@myna/codes';

/**
 * What a code is computed from, per person: the processing serial as text
 * (ps1.…), or the person's base point H(serial) when an earlier code of theirs
 * (another party's) already computed it.
 */
export type CodeInput = string | Uint8Array;

export interface ComputedCodes {
  /** The party's codes as text (ac1.…), in the order of the inputs. */
  codes: string[];
  /** Each person's base point, for the pool to reuse on the same person's next code. */
  basePoints: Uint8Array[];
}

/** One party's codes, on whichever thread computes them (code-worker.ts, or CodeWorkerPool inline). */
export function computeCodes(bundle: IssuerBundle, party: PartyId, inputs: readonly CodeInput[]): ComputedCodes {
  const codes: string[] = [];
  const basePoints: Uint8Array[] = [];
  for (const input of inputs) {
    const basePoint = typeof input === 'string' ? serialBasePoint(parseProcessingSerial(input)) : input;
    codes.push(issueAgencyCodeFromBase(bundle, party, basePoint).toText());
    basePoints.push(basePoint);
  }
  return { codes, basePoints };
}
