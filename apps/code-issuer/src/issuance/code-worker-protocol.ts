import type { PartyId } from '@myna/codes';
import type { CodeInput } from './code-computation';

// What the issuer's main thread and its code threads (code-worker.ts) say to each
// other. Kept apart so that a thread loads nothing but this, code-computation.ts and @myna/codes.

export interface CodeWorkerData {
  /** The issuer's libs/codes bundle as JSON (every party's pseudonym key). */
  issuerBundle: unknown;
}

export interface CodeTaskRequest {
  id: number;
  party: PartyId;
  /** Per person, the processing serial as text or the base point the pool kept (code-computation.ts). */
  inputs: CodeInput[];
}

export type CodeTaskReply = { id: number; codes: string[]; basePoints: Uint8Array[] } | { id: number; error: string };

/** What a thread says once it holds the keys, before any task. */
export const CODE_WORKER_READY = 'ready';
