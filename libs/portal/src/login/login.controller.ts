import { Body, Controller, Headers, HttpCode, HttpStatus, Inject, Post, Res, UseFilters } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { SelfDisclosureService } from '../self-disclosure/self-disclosure.service';
import { SessionService } from '../sessions/session.service';
import { CompleteLoginDto, LoginChallengeDto } from './dtos/login.dto';
import { LoginExceptionFilter } from './login-exception.filter';
import { LoginService } from './login.service';

@ApiTags('sign-in')
@Controller()
@UseFilters(LoginExceptionFilter)
export class LoginController {
  constructor(
    @Inject(LoginService) private readonly login: LoginService,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(SelfDisclosureService) private readonly disclosures: SelfDisclosureService,
  ) {}

  @Post('login/challenge')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'A one-time sign-in challenge (nonce) for the card to sign; valid for 2 minutes, usable once' })
  @ApiOkResponse({ type: LoginChallengeDto })
  async challenge(@Res({ passthrough: true }) response: Response): Promise<LoginChallengeDto> {
    response.setHeader('cache-control', 'no-store');
    return this.login.challenge();
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Sign in: the chip's signature over the challenge and its certificate; sets the session cookie" })
  @ApiOkResponse({ description: '{ next: "/records" } and a Set-Cookie: HttpOnly; SameSite=Strict; Path=/ (Secure in production)' })
  @ApiUnauthorizedResponse({ description: 'challenge expired or used, certificate not the issuer’s, or signature wrong' })
  @ApiForbiddenResponse({ description: 'the certificate is suspended, revoked or expired at the issuer' })
  @ApiServiceUnavailableResponse({ description: 'the issuer could not confirm the certificate: sign-in fails closed' })
  async complete(@Body() attempt: CompleteLoginDto, @Res({ passthrough: true }) response: Response) {
    response.setHeader('set-cookie', await this.login.complete(attempt));
    response.setHeader('cache-control', 'no-store');
    return { next: '/records' };
  }

  @Post('logout')
  @ApiOperation({ summary: 'Sign out: ends the session and forgets the answers fetched for it' })
  async logout(@Headers('cookie') cookie: string | undefined, @Res() response: Response): Promise<void> {
    const { clearCookie, portalCode } = await this.sessions.end(cookie);
    if (portalCode) await this.disclosures.forget(portalCode);
    response.setHeader('set-cookie', clearCookie);
    response.redirect(HttpStatus.SEE_OTHER, '/login');
  }
}
