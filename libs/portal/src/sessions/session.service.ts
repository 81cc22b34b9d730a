import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, MoreThan } from 'typeorm';
import { PORTAL_SETTINGS, type PortalSettings } from '../portal-settings';
import { PortalSession } from './portal-session.entity';
import { readCookie, sessionCookie, sessionCookieName, SESSION_TTL_SECONDS } from './session-cookie';

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export interface SignedIn {
  portalCode: string;
  expiresAt: Date;
}

/** Sessions: an opaque random id in the cookie, its hash and the portal's code in the database. */
@Injectable()
export class SessionService {
  readonly cookieName: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
  ) {
    this.cookieName = sessionCookieName(settings.secureCookies);
  }

  /** Starts a session; returns the Set-Cookie value. */
  async start(portalCode: string): Promise<string> {
    const repository = this.dataSource.getRepository(PortalSession);
    await repository.delete({ expiresAt: LessThan(new Date()) });
    const id = randomBytes(32).toString('base64url');
    await repository.insert({ idHash: hash(id), portalCode, expiresAt: new Date(Date.now() + SESSION_TTL_SECONDS * 1000) });
    return sessionCookie(this.cookieName, id, { maxAgeSeconds: SESSION_TTL_SECONDS, secure: this.settings.secureCookies });
  }

  /** The signed-in citizen of a request, if its cookie names a live session. */
  async current(cookieHeader: string | undefined): Promise<SignedIn | undefined> {
    const id = readCookie(cookieHeader, this.cookieName);
    if (!id || !SESSION_ID.test(id)) return undefined;
    const session = await this.dataSource.getRepository(PortalSession).findOneBy({ idHash: hash(id), expiresAt: MoreThan(new Date()) });
    return session ? { portalCode: session.portalCode, expiresAt: session.expiresAt } : undefined;
  }

  /** Ends the request's session, if any; returns the Set-Cookie value that clears the cookie. */
  async end(cookieHeader: string | undefined): Promise<{ clearCookie: string; portalCode?: string }> {
    const id = readCookie(cookieHeader, this.cookieName);
    let portalCode: string | undefined;
    if (id && SESSION_ID.test(id)) {
      const repository = this.dataSource.getRepository(PortalSession);
      portalCode = (await repository.findOneBy({ idHash: hash(id) }))?.portalCode;
      await repository.delete({ idHash: hash(id) });
    }
    return { clearCookie: sessionCookie(this.cookieName, '', { maxAgeSeconds: 0, secure: this.settings.secureCookies }), portalCode };
  }
}

function hash(id: string): Buffer {
  return createHash('sha256').update(id).digest();
}
