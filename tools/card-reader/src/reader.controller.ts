import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { Body, Controller, Get, HttpStatus, Inject, Logger, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CardError, ChipTamperedError, IcChip, maskMyNumber, type CardStore } from '@myna/card';
import { CARD_READER, FederationError } from '@myna/protocol';
import {
  JAPANESE_FONT_HEADERS,
  JAPANESE_FONT_STYLESHEET,
  JAPANESE_FONT_STYLESHEET_HEADERS,
  JAPANESE_FONT_WOFF2,
  Public,
  RateLimit,
  refuseCrossSite,
  StaticAssets,
} from '@myna/platform';
import { refusedPage, signInPage, walletPage, type WalletCard } from './reader-pages';
import { readerMessage } from './reader-messages';
import { READER_SETTINGS, type ReaderSettings } from './reader-settings';
import { parseSignInRequest, type SignInRequest } from './sign-in-request';

export const CARD_STORE = Symbol('CARD_STORE');

/** The reader's own web assets: the files in assets/ (the build copies them into dist/). */
const READER_ASSETS = new StaticAssets(path.join(__dirname, 'assets'), ['reader.css']);

/** The largest card-face photo passed on to a service (the portal takes up to 16 KiB); a larger one stays on the card. */
const HOLDER_PHOTO_MAX_LENGTH = 16 * 1024;

/** The reader's own cookie, for its forms' CSRF token. */
const FORM_COOKIE = 'myna_reader';

/**
 * Pages of the citizen's device: no framing, no referrer to other origins, nothing from
 * elsewhere. Forms post to the reader itself, whose answer sends the browser
 * back to the relying parties it knows, so their origins are allowed as targets. `no-store`
 * and `nosniff` come with every answer (installResponseHeaders).
 */
function pageHeaders(relyingParties: ReadonlyMap<string, string>): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src 'self'; img-src data:; font-src 'self'; form-action 'self' ${[...relyingParties.values()].join(' ')}; frame-ancestors 'none'; base-uri 'none'`,
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
  };
}

/**
 * The demo's virtual card reader, the citizen's side of a sign-in: it lists the
 * cards "in the wallet", shows which service asks, passes the typed PIN and the
 * service's challenge to the chip, and sends the chip's signature back to that
 * service's own address. It never sees a private key: the chip signs inside.
 * Its forms carry a token only its own pages know, so a page elsewhere cannot
 * type PINs into it (and lock a card).
 */
@Controller()
export class ReaderController {
  private readonly logger = new Logger(CARD_READER);
  private readonly formSecret = randomBytes(32);
  private readonly pageHeaders: Record<string, string>;

  constructor(
    @Inject(CARD_STORE) private readonly store: CardStore,
    @Inject(READER_SETTINGS) private readonly settings: ReaderSettings,
  ) {
    this.pageHeaders = pageHeaders(settings.relyingParties);
  }

  @Get('health')
  @Public('liveness of the card reader')
  health() {
    return { status: 'ok' };
  }

  @Get()
  @Public("the citizen's own device: the cards it holds, masked")
  async wallet(@Res() response: Response): Promise<void> {
    response.status(HttpStatus.OK).set(this.pageHeaders).send(walletPage(await this.cards()));
  }

  @Get('sign-in')
  @Public("the citizen's own device: a service's sign-in request")
  async signIn(@Query() query: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    let signIn: SignInRequest;
    try {
      signIn = parseSignInRequest(query, this.settings.relyingParties);
    } catch (error) {
      if (error instanceof FederationError) return void response.status(error.status).set(this.pageHeaders).send(refusedPage(error.message));
      throw error;
    }
    const formCookie = this.formCookie(request, response);
    response.status(HttpStatus.OK).set(this.pageHeaders).send(signInPage(signIn, await this.cards(), this.formToken(formCookie)));
  }

  @Post('sign-in')
  @Public("the citizen's own device: the PIN typed on its own page (the form's token proves it)")
  @RateLimit('pin-entry')
  async sign(@Body() form: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    refuseCrossSite(request);
    const formCookie = readCookie(request.headers.cookie, FORM_COOKIE);
    if (!formCookie || !this.tokenMatches(formCookie, form.csrf)) {
      throw new FederationError('form-not-from-reader', 'this form was not sent from the card reader’s own page', 403);
    }
    const { cardId, pin, csrf: _csrf, ...requestFields } = form;
    const signIn = parseSignInRequest(requestFields, this.settings.relyingParties);
    // The page again, with the chip's answer (a wrong PIN, a locked card) on it: an answer the
    // citizen reads, so 200, which a browser does not report as a failed load; the code is on the page.
    const render = async (problem: { message: string; code: string }, card?: string): Promise<void> => {
      response.status(HttpStatus.OK).set(this.pageHeaders).send(signInPage(signIn, await this.cards(), this.formToken(formCookie), { ...problem, cardId: card }));
    };
    if (typeof cardId !== 'string' || typeof pin !== 'string') return render({ message: 'Choose a card and type its PIN.', code: 'incomplete' });
    try {
      const chip = await IcChip.open(this.store, cardId);
      const signed = await chip.signForAuthentication(pin, Buffer.from(signIn.toBeSigned, 'base64url'));
      const answer = new URLSearchParams({ challenge: signIn.challengeId, certificate: signed.certificate, signature: signed.signature });
      // The name and photo on the card's face, for the service to show who signed in; never the My Number.
      const { cardFace } = await chip.readContents();
      answer.set('name', cardFace.name);
      if (cardFace.photo.length <= HOLDER_PHOTO_MAX_LENGTH) answer.set('photo', cardFace.photo);
      this.logger.log({ relyingParty: signIn.relyingParty }, 'a card signed in');
      response.redirect(HttpStatus.SEE_OTHER, `${signIn.returnTo}#${answer.toString()}`);
    } catch (error) {
      if (!(error instanceof CardError)) throw error;
      this.logger.warn({ code: error.code }, 'the card refused to sign');
      return render({ message: readerMessage(error).message, code: error.code }, cardId);
    }
  }

  @Get('assets/reader.css')
  @Public('a stylesheet')
  css(@Res() response: Response): void {
    READER_ASSETS.send(response, 'reader.css');
  }

  @Get('assets/noto-sans-jp.css')
  @Public('the stylesheet that declares the pages’ Japanese font')
  japaneseFontFace(@Res() response: Response): void {
    response.status(HttpStatus.OK).set(JAPANESE_FONT_STYLESHEET_HEADERS).send(JAPANESE_FONT_STYLESHEET);
  }

  @Get('assets/noto-sans-jp.woff2')
  @Public('the pages’ Japanese font')
  japaneseFont(@Res() response: Response): void {
    response.status(HttpStatus.OK).set(JAPANESE_FONT_HEADERS).send(JAPANESE_FONT_WOFF2);
  }

  private async cards(): Promise<WalletCard[]> {
    const cards: WalletCard[] = [];
    for (const cardId of await this.store.list()) {
      try {
        const { cardFace, pinStatus } = await (await IcChip.open(this.store, cardId)).readContents();
        cards.push({
          cardId,
          holder: cardFace.name,
          // The face shows the full number; a list on a shared screen does not need to.
          maskedMyNumber: maskMyNumber(cardFace.myNumber),
          photo: cardFace.photo,
          pinTriesLeft: pinStatus.retriesLeft,
          state: pinStatus.locked ? 'locked' : 'ready',
        });
      } catch (error) {
        if (!(error instanceof CardError)) throw error;
        cards.push({ cardId, state: error instanceof ChipTamperedError ? 'tampered' : 'unreadable' });
      }
    }
    return cards;
  }

  /** The browser's form cookie, set when it has none. HttpOnly and SameSite=Strict. */
  private formCookie(request: Request, response: Response): string {
    const held = readCookie(request.headers.cookie, FORM_COOKIE);
    if (held) return held;
    const fresh = randomBytes(32).toString('base64url');
    response.setHeader('set-cookie', `${FORM_COOKIE}=${fresh}; Path=/; HttpOnly; SameSite=Strict`);
    return fresh;
  }

  private formToken(formCookie: string): string {
    return createHmac('sha256', this.formSecret).update(formCookie).digest('base64url');
  }

  private tokenMatches(formCookie: string, token: unknown): boolean {
    const expected = Buffer.from(this.formToken(formCookie));
    const given = Buffer.from(typeof token === 'string' ? token : '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name && /^[A-Za-z0-9_-]{43}$/.test(value.join('='))) return value.join('=');
  }
  return undefined;
}
