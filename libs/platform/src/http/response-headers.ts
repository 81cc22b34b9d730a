import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/**
 * What every answer of a service carries unless its route says otherwise: `no-store`,
 * since an answer may hold personal data, a card's state or a token, and a browser's
 * or a proxy's cache would keep it on disk after the session ends (a citizen's records
 * fetched by the portal's Verify, an agency's person read by its operator); `nosniff`,
 * so that no browser runs a JSON answer as a script. No `X-Powered-By`: the attacker
 * learns the framework by trying, not by asking. Static files set their own
 * `no-cache` (revalidated by ETag), and so do the fonts; they hold nothing personal.
 * The card reader, the citizen's device, installs the same.
 */
export function installResponseHeaders(app: NestExpressApplication): void {
  app.disable('x-powered-by');
  app.use((_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('cache-control', 'no-store');
    response.setHeader('x-content-type-options', 'nosniff');
    next();
  });
}
