import { readCookie, sessionCookie, sessionCookieName } from '../sessions/session-cookie';

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Strict and Path=/, and Secure with the __Host- prefix in production', () => {
    expect(sessionCookie(sessionCookieName(false), 'abc', { maxAgeSeconds: 1800, secure: false })).toBe('myna_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=1800');
    expect(sessionCookie(sessionCookieName(true), 'abc', { maxAgeSeconds: 1800, secure: true })).toBe(
      '__Host-myna_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=1800; Secure',
    );
  });

  it('is read from a Cookie header among others, and only by its exact name', () => {
    expect(readCookie('a=1; myna_session=xyz; b=2', 'myna_session')).toBe('xyz');
    expect(readCookie('not_myna_session=xyz', 'myna_session')).toBeUndefined();
    expect(readCookie(undefined, 'myna_session')).toBeUndefined();
    expect(readCookie('garbage', 'myna_session')).toBeUndefined();
  });
});
