import { randomInt } from 'node:crypto';
import { CardError, IcChip, MemoryCardStore, type Ed25519PublicJwk, type IssuerPublicKey } from '@myna/card';
import type { ScenarioContext } from '../runner/scenario';
import type { EnrolledCitizen } from './scenario-support';
import { CODE_ISSUER, MYNA_PORTAL } from '@myna/protocol';

/** A card in the citizen's hand: the real chip code, its storage in this process's memory. */
export interface CitizenCard {
  chip: IcChip;
  store: MemoryCardStore;
  pin: string;
  certificateSerial: string;
  /** What the holder tells the hotline. */
  holder: { name: string; dateOfBirth: string };
}

/** A tiny face photo (the chip requires one). */
const PHOTO = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="30" height="40"><rect width="30" height="40" fill="#ccd"/></svg>').toString('base64')}`;

export function randomPin(): string {
  return String(randomInt(10_000)).padStart(4, '0');
}

/** A PIN that is not `pin`. */
export function wrongPin(pin: string, offset = 1): string {
  return String((Number(pin) + offset) % 10_000).padStart(4, '0');
}

/**
 * Issues a My Number Card as the municipal office does: the chip makes its own
 * key pair, code-issuer certifies the public key (POST /cards), and the chip is
 * personalised with the card face and the holder's PIN.
 */
export async function issueCard(context: ScenarioContext, citizen: EnrolledCitizen, label: string, pin = randomPin()): Promise<CitizenCard> {
  const { body: issuer } = await context.federation.request<IssuerPublicKey & { issuer: string }>(CODE_ISSUER, 'GET', '/cards/issuer-key', { accept: [200], as: 'registrar' });
  const store = new MemoryCardStore();
  const chip = await IcChip.issue(store, {
    cardId: `card-${context.tag}-${randomInt(1_000_000)}`,
    face: { myNumber: citizen.myNumber, name: citizen.name, address: citizen.address, dateOfBirth: citizen.dateOfBirth, gender: citizen.gender, photo: PHOTO },
    pin,
    issuerKey: { kid: issuer.kid, jwk: issuer.jwk },
    certify: async (publicKey: Ed25519PublicJwk) =>
      (await context.federation.request<{ certificate: string }>(CODE_ISSUER, 'POST', '/cards', { body: { myNumber: citizen.myNumber, publicKey }, accept: [201], as: 'registrar' })).body.certificate,
  });
  const certificateSerial = (await chip.readContents()).userAuthentication.certificateSerial;
  context.say(CODE_ISSUER, `at the counter, a registrar certifies the public key the chip of ${label}'s new card made for itself: certificate ${certificateSerial}`);
  return { chip, store, pin, certificateSerial, holder: { name: citizen.name, dateOfBirth: citizen.dateOfBirth } };
}

/**
 * Calls the lost-card hotline, which anyone may call at any hour: it needs the
 * serial and the holder's name and date of birth, and answers the same whether
 * or not they matched a card in use.
 */
export function callHotline(context: ScenarioContext, certificateSerial: string, holder: { name: string; dateOfBirth: string }) {
  return context.federation.request<{ received?: boolean; message?: string }>(CODE_ISSUER, 'POST', `/cards/${certificateSerial}/suspend`, { body: holder });
}

/** Where the card stands at code-issuer, as a registrar at the counter sees it. */
export async function certificateStatus(context: ScenarioContext, certificateSerial: string): Promise<string> {
  return (await context.federation.request<{ status: string }>(CODE_ISSUER, 'GET', `/cards/${certificateSerial}/status`, { accept: [200], as: 'registrar' })).body.status;
}

export interface SignInAttempt {
  status: number;
  /** The portal's stable code when it refused (challenge-invalid, signature-invalid, certificate-suspended, …). */
  reason?: string;
  /** The session cookie (`name=value`) when it let the holder in. */
  cookie?: string;
}

export interface LoginChallenge {
  challengeId: string;
  toBeSigned: string;
  /** The sign-in cookie that binds the challenge to the browser that asked (`name=value`). */
  binding: string;
}

/**
 * The `name=value` of the cookie an answer sets under `name`, in either of the
 * portal's spellings: the plain name over HTTP in the demo, `__Host-<name>` in
 * production (docker compose).
 */
function setCookie(headers: Headers, name: string): string | undefined {
  return headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .find((pair) => pair.startsWith(`${name}=`) || pair.startsWith(`__Host-${name}=`));
}

export async function loginChallenge(context: ScenarioContext): Promise<LoginChallenge> {
  const answer = await context.federation.request<Omit<LoginChallenge, 'binding'>>(MYNA_PORTAL, 'POST', '/login/challenge', { accept: [200] });
  return { ...answer.body, binding: setCookie(answer.headers, 'myna_sign_in') ?? '' };
}

/** Sends a completed sign-in to the portal, whatever its origin (the chip, or an attacker's making), from the browser holding `binding`. */
export async function completeLogin(context: ScenarioContext, attempt: { challengeId: string; certificate: string; signature: string }, binding: string): Promise<SignInAttempt> {
  const answer = await context.federation.request<{ code?: string }>(MYNA_PORTAL, 'POST', '/login', { body: attempt, headers: { cookie: binding } });
  const cookie = setCookie(answer.headers, 'myna_session');
  return { status: answer.status, reason: answer.body.code, ...(answer.status === 200 && cookie ? { cookie } : {}) };
}

/**
 * Signs in at the portal with the card and a PIN, as the portal's sign-in page
 * does: a one-time challenge, the chip's signature over it (after the PIN), the
 * certificate. A chip that refuses (wrong PIN, locked, tampered) gives its reason.
 */
export async function signIn(
  context: ScenarioContext,
  card: Pick<CitizenCard, 'chip'>,
  pin: string,
): Promise<SignInAttempt & { chipRefused?: string; signed?: { challengeId: string; certificate: string; signature: string }; binding?: string }> {
  const challenge = await loginChallenge(context);
  let signed: { certificate: string; signature: string };
  try {
    signed = await card.chip.signForAuthentication(pin, Buffer.from(challenge.toBeSigned, 'base64url'));
  } catch (error) {
    if (error instanceof CardError) return { status: 0, chipRefused: `${error.code}: ${error.message}` };
    throw error;
  }
  const attempt = { challengeId: challenge.challengeId, ...signed };
  return { ...(await completeLogin(context, attempt, challenge.binding)), signed: attempt, binding: challenge.binding };
}

/** What a chip operation did: its result, or the reason the chip refused. */
export async function chipOutcome<T>(operation: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; reason: string; message: string }> {
  try {
    return { ok: true, value: await operation() };
  } catch (error) {
    if (error instanceof CardError) return { ok: false, reason: error.code, message: error.message };
    throw error;
  }
}

export function describeSignIn(attempt: SignInAttempt & { chipRefused?: string }): string {
  if (attempt.chipRefused) return `the chip refused to sign (${attempt.chipRefused})`;
  if (attempt.status === 200) return 'the portal let the holder in (session cookie set)';
  return `the portal refused: ${attempt.status} ${attempt.reason ?? ''}`.trim();
}
