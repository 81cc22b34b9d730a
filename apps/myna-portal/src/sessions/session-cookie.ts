/** How long a session lasts from sign-in, whatever happens in between. */
export const SESSION_TTL_SECONDS = 30 * 60;

/** `__Host-` (Secure, Path=/, no Domain) where cookies are Secure; the plain name over plain HTTP in the demo. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-myna_session' : 'myna_session';
}

/** The cookie that binds a sign-in challenge to the browser that asked for it. */
export function signInCookieName(secure: boolean): string {
  return secure ? '__Host-myna_sign_in' : 'myna_sign_in';
}

/** HttpOnly: no script reads it. SameSite=Strict: no other site's page sends it. */
export function sessionCookie(name: string, value: string, options: { maxAgeSeconds: number; secure: boolean }): string {
  const attributes = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${options.maxAgeSeconds}`];
  if (options.secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** The value of one cookie from a Cookie header, if present and well-formed. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}
