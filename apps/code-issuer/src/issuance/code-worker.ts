// One thread of the issuer's code computation (see code-workers.ts): it holds
// the pseudonym keys it was started with and turns processing serials into one
// party's agency codes, P_A = s_A · H(serial), hashing only the serials whose
// H(serial) the pool did not keep. It talks only to its parent.
import { parentPort, workerData } from 'node:worker_threads';
import { groupReady, parseIssuerBundle } from '@myna/codes';
import { computeCodes } from './code-computation';
import { CODE_WORKER_READY, type CodeTaskReply, type CodeTaskRequest, type CodeWorkerData } from './code-worker-protocol';

const port = parentPort;
if (!port) throw new Error('code-worker runs only as a worker thread of code-issuer');

const bundle = parseIssuerBundle((workerData as CodeWorkerData).issuerBundle);

port.on('message', ({ id, party, inputs }: CodeTaskRequest) => {
  let reply: CodeTaskReply;
  try {
    reply = { id, ...computeCodes(bundle, party, inputs) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : 'code computation failed' };
  }
  port.postMessage(reply);
});

// Started means computing on the chosen group backend (libsodium loads
// asynchronously); if it cannot load, the rejection ends the thread and the pool says so.
void groupReady().then(() => port.postMessage(CODE_WORKER_READY));
