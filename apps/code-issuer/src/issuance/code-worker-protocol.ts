import type { PartyId } from '@myna/codes';

// What the issuer's main thread and its code threads (code-worker.ts) say to each
// other. Kept apart so that a thread loads nothing but this and @myna/codes.

export interface CodeWorkerData {
  /** The issuer's libs/codes bundle as JSON (every party's pseudonym key). */
  issuerBundle: unknown;
}

export interface CodeTaskRequest {
  id: number;
  party: PartyId;
  /** Processing serials as text (ps1.…). */
  serials: string[];
}

export type CodeTaskReply = { id: number; codes: string[] } | { id: number; error: string };

/** What a thread says once it holds the keys, before any task. */
export const CODE_WORKER_READY = 'ready';
