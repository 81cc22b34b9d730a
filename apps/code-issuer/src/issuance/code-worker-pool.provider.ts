import { Logger, type Provider } from '@nestjs/common';
import { SERVICE_KEYS } from '@myna/platform';
import type { ServiceKeyRing } from '@myna/protocol';
import { CodeWorkerPool, parseCodeWorkerCount } from './code-workers';

/** The code threads, started with the service (which refuses to start if they cannot) and closed with it. */
export const codeWorkerPoolProvider: Provider<CodeWorkerPool> = {
  provide: CodeWorkerPool,
  inject: [SERVICE_KEYS],
  useFactory: async (ring: ServiceKeyRing | null): Promise<CodeWorkerPool> => {
    if (!ring) throw new Error('code-issuer needs its key file: set usesKeys in its service definition');
    const logger = new Logger('code-workers');
    const pool = new CodeWorkerPool(ring.codesBundle, parseCodeWorkerCount(process.env), (error) =>
      logger.error(`a code worker failed: ${error.message}`),
    );
    await pool.ready();
    logger.log(pool.size === 0 ? 'agency codes are computed on the main thread' : `agency codes are computed on ${pool.size} worker thread(s)`);
    return pool;
  },
};
