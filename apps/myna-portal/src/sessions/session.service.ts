import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PORTAL_SETTINGS, type PortalSettings } from '../portal-settings';
import { PortalSessionRepository } from './portal-session.repository';
import { readCookie, sessionCookie, sessionCookieName, SESSION_TTL_SECONDS } from './session-cookie';
import { MYNA_PORTAL } from '@myna/protocol';

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Who signed in, as their card's face shows them: for the pages' header, never for a decision. */
export interface CardHolder {
  name: string;
  /** The face photo, a data: URL of a PNG, JPEG or SVG image. */
  photo?: string;
}

/** A live session, as the request's cookie opens it. */
export interface OpenSession {
  /** The cookie's random id: the only key to the session's card, never stored. */
  id: string;
  portalCode: string;
  certificateSerial: string;
  holder?: CardHolder;
  expiresAt: Date;
}

/** What the session row keeps sealed: the card's serial and what its face showed. */
interface SealedCard {
  serial: string;
  holder?: CardHolder;
}

/**
 * Sessions: an opaque random id in the cookie; its hash, the portal's code and
 * the sealed card (its serial, and the name and photo on its face) in the
 * database. Without the cookie the row opens nothing, names no card and no one.
 */
@Injectable()
export class SessionService {
  readonly cookieName: string;

  constructor(
    @Inject(PortalSessionRepository) private readonly sessions: PortalSessionRepository,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
  ) {
    this.cookieName = sessionCookieName(settings.secureCookies);
  }

  /** Starts a session for the holder of this card; returns the Set-Cookie value. */
  async start(portalCode: string, certificateSerial: string, holder?: CardHolder): Promise<string> {
    await this.sessions.deleteExpired();
    const id = randomBytes(32).toString('base64url');
    await this.sessions.add({
      idHash: hash(id),
      portalCode,
      cardSeal: seal(id, { serial: certificateSerial, holder }),
      expiresAt: new Date(Date.now() + SESSION_TTL_SECONDS * 1000),
    });
    return sessionCookie(this.cookieName, id, { maxAgeSeconds: SESSION_TTL_SECONDS, secure: this.settings.secureCookies });
  }

  /** The session a request's cookie names, if it is live. */
  async open(cookieHeader: string | undefined): Promise<OpenSession | undefined> {
    const id = readCookie(cookieHeader, this.cookieName);
    if (!id || !SESSION_ID.test(id)) return undefined;
    const session = await this.sessions.findLive(hash(id));
    const card = session ? unseal(id, session.cardSeal) : undefined;
    if (!session || !card) return undefined;
    return { id, portalCode: session.portalCode, certificateSerial: card.serial, holder: card.holder, expiresAt: session.expiresAt };
  }

  /** Who holds the card a session was opened with, as its face shows them. */
  async holderOf(id: string): Promise<CardHolder | undefined> {
    if (!SESSION_ID.test(id)) return undefined;
    const session = await this.sessions.findLive(hash(id));
    return session ? unseal(id, session.cardSeal)?.holder : undefined;
  }

  /** Ends a session by its id (its card was suspended, or the citizen signed out). */
  async endById(id: string): Promise<void> {
    await this.sessions.delete(hash(id));
  }

  /** Ends the request's session, if any; returns the Set-Cookie value that clears the cookie. */
  async end(cookieHeader: string | undefined): Promise<{ clearCookie: string; portalCode?: string }> {
    const session = await this.open(cookieHeader);
    if (session) await this.endById(session.id);
    return { clearCookie: sessionCookie(this.cookieName, '', { maxAgeSeconds: 0, secure: this.settings.secureCookies }), portalCode: session?.portalCode };
  }

  /** The token a session's forms carry (CSRF): only a page rendered for this session knows it. */
  csrfToken(sessionId: string): string {
    return createHmac('sha256', sessionId).update('myna-portal csrf v1').digest('base64url');
  }

  csrfTokenMatches(sessionId: string, token: unknown): boolean {
    const expected = Buffer.from(this.csrfToken(sessionId));
    const given = Buffer.from(typeof token === 'string' ? token : '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

function hash(id: string): Buffer {
  return createHash('sha256').update(id).digest();
}

function cardKey(sessionId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(sessionId), MYNA_PORTAL, 'session card serial v1', 32));
}

/** nonce ‖ ciphertext ‖ tag, of the card as JSON. */
function seal(sessionId: string, card: SealedCard): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cardKey(sessionId), nonce);
  return Buffer.concat([nonce, cipher.update(JSON.stringify(card), 'utf8'), cipher.final(), cipher.getAuthTag()]);
}

function unseal(sessionId: string, sealed: Buffer): SealedCard | undefined {
  let text: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', cardKey(sessionId), sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    text = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
  // Sessions begun before the holder was kept sealed the serial alone.
  if (!text.startsWith('{')) return { serial: text };
  try {
    const card = JSON.parse(text) as SealedCard;
    return typeof card.serial === 'string' ? card : undefined;
  } catch {
    return undefined;
  }
}
