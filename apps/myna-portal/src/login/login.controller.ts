import { Body, Controller, Headers, HttpCode, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ForbiddenError, Public, RateLimit, refuseCrossSite } from '@myna/platform';
import { PORTAL_SETTINGS, type PortalSettings } from '../portal-settings';
import { SelfDisclosureService } from '../self-disclosure/self-disclosure.service';
import { SessionService } from '../sessions/session.service';
import { CompleteLoginDto, LoginChallengeDto, LogoutDto } from './dtos/login.dto';
import { LoginService } from './login.service';

@ApiTags('sign-in')
@Controller()
export class LoginController {
  constructor(
    @Inject(LoginService) private readonly login: LoginService,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(SelfDisclosureService) private readonly disclosures: SelfDisclosureService,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
  ) {}

  @Post('login/challenge')
  @HttpCode(HttpStatus.OK)
  @Public('sign-in: a one-time challenge for a card to sign')
  @RateLimit('sign-in')
  @ApiOperation({ summary: 'A one-time sign-in challenge (nonce) for the card to sign, bound to this browser by a cookie; valid for 2 minutes, usable once' })
  @ApiOkResponse({ type: LoginChallengeDto })
  async challenge(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<LoginChallengeDto> {
    refuseCrossSite(request);
    const { challenge, cookie } = await this.login.challenge();
    response.setHeader('set-cookie', cookie);
    return challenge;
  }

  /** The sign-in page's button: a challenge, then off to the card reader, which comes back to /login/card. */
  @Post('login/start')
  @Public('sign-in: starts a sign-in and sends the browser to the card reader')
  @RateLimit('sign-in')
  @ApiOperation({ summary: 'Start a sign-in from the browser: sets the sign-in cookie and redirects to the card reader with the challenge' })
  async start(@Req() request: Request, @Res() response: Response): Promise<void> {
    refuseCrossSite(request);
    const reader = this.settings.cardReader.url;
    if (!reader) return response.redirect(HttpStatus.SEE_OTHER, '/login?reader=none');
    const { challenge, cookie } = await this.login.challenge();
    const back = `${request.protocol}://${request.headers.host}/login/card`;
    const target = new URL(`${reader}/sign-in`);
    target.search = new URLSearchParams({ rp: this.settings.relyingParty, challenge: challenge.challengeId, toBeSigned: challenge.toBeSigned, return: back }).toString();
    response.setHeader('set-cookie', cookie);
    response.redirect(HttpStatus.SEE_OTHER, target.toString());
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @Public('sign-in: the chip’s signature over the challenge, from the browser the challenge was given to')
  @RateLimit('sign-in')
  @ApiOperation({ summary: "Sign in: the chip's signature over the challenge and its certificate, with the sign-in cookie; sets the session cookie" })
  @ApiOkResponse({ description: '{ next: "/records" } and a Set-Cookie: HttpOnly; SameSite=Strict; Path=/ (Secure in production)' })
  @ApiUnauthorizedResponse({ description: 'challenge expired, used or started elsewhere; certificate not the issuer’s; or signature wrong' })
  @ApiForbiddenResponse({ description: 'the certificate is suspended, revoked or expired at the issuer' })
  @ApiServiceUnavailableResponse({ description: 'the issuer could not confirm the certificate: sign-in fails closed' })
  async complete(@Body() attempt: CompleteLoginDto, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    refuseCrossSite(request);
    const session = await this.login.complete(attempt, request.headers.cookie);
    response.setHeader('set-cookie', [session, this.login.clearSignInCookie()]);
    return { next: '/records' };
  }

  @Post('logout')
  @Public('sign-out: ends the caller’s own session, if it has one (its forms carry the session’s CSRF token)')
  @ApiOperation({ summary: 'Sign out: ends the session and forgets the answers fetched for it' })
  async logout(@Body() form: LogoutDto, @Headers('cookie') cookie: string | undefined, @Req() request: Request, @Res() response: Response): Promise<void> {
    refuseCrossSite(request);
    const session = await this.sessions.open(cookie);
    if (session && !this.sessions.csrfTokenMatches(session.id, form.csrf)) throw new ForbiddenError('the sign-out form does not carry this session’s token');
    const { clearCookie, portalCode } = await this.sessions.end(cookie);
    if (portalCode) await this.disclosures.forget(portalCode);
    response.setHeader('set-cookie', clearCookie);
    response.redirect(HttpStatus.SEE_OTHER, '/login');
  }
}
