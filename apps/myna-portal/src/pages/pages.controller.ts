import { Body, Controller, Get, Headers, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  Access,
  CurrentPrincipal,
  ForbiddenError,
  JAPANESE_FONT_HEADERS,
  JAPANESE_FONT_STYLESHEET,
  JAPANESE_FONT_STYLESHEET_HEADERS,
  JAPANESE_FONT_WOFF2,
  Public,
  refuseCrossSite,
  type Principal,
} from '@myna/platform';
import { ExchangeRecordsService } from '../exchange-records/exchange-records.service';
import { CardIssuerClient } from '../issuer-client/card-issuer.client';
import { CsrfFormDto } from '../login/dtos/login.dto';
import { PORTAL_SETTINGS, type PortalSettings } from '../portal-settings';
import { SelfDisclosureService } from '../self-disclosure/self-disclosure.service';
import { PortalCitizens } from '../sessions/portal-citizens';
import { SessionService } from '../sessions/session.service';
import type { LegalTable } from '@myna/protocol';
import { PORTAL_LEGAL_TABLE } from '../portal-core';
import { PORTAL_ASSETS } from './assets/portal-assets';
import { completeSignInPage, loginPage } from './login.page';
import { myInformationPage } from './my-information.page';
import type { PageSession } from './layout';
import { recordsPage } from './records.page';

/**
 * Scripts and styles from this origin only, no framing, no referrer to other origins: the pages
 * show personal data. Forms post to the portal itself; the sign-in form's answer
 * sends the browser on to the card reader, so that origin is allowed there too. `no-store`
 * and `nosniff` come with every answer (installResponseHeaders).
 */
function pageHeaders(formTargets = ''): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'${formTargets}; frame-ancestors 'none'; base-uri 'none'`,
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
  };
}

/** A signed-in citizen's pages show personal data: only that citizen, and a browser without a session goes to sign-in. */
const CitizenPage = () => Access({ citizen: { signInPage: '/login' } });

type Citizen = Extract<Principal, { kind: 'citizen' }>;

/** The citizen's pages, rendered on the server. */
@ApiExcludeController()
@Controller()
export class PagesController {
  constructor(
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(PortalCitizens) private readonly citizens: PortalCitizens,
    @Inject(ExchangeRecordsService) private readonly records: ExchangeRecordsService,
    @Inject(SelfDisclosureService) private readonly disclosures: SelfDisclosureService,
    @Inject(CardIssuerClient) private readonly issuer: CardIssuerClient,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
    @Inject(PORTAL_LEGAL_TABLE) private readonly legalTable: LegalTable,
  ) {}

  @Get()
  @Public('sends the browser to its records or to sign-in; shows nothing')
  async home(@Req() request: Request, @Res() response: Response): Promise<void> {
    response.redirect(HttpStatus.SEE_OTHER, (await this.citizens.resolve(request)) ? '/records' : '/login');
  }

  @Get('login')
  @Public('the sign-in page: shows nothing personal')
  async login(@Headers('cookie') cookie: string | undefined, @Res() response: Response): Promise<void> {
    if (await this.sessions.open(cookie)) return response.redirect(HttpStatus.SEE_OTHER, '/records');
    const reader = this.settings.cardReader.url;
    send(response, loginPage({ cardReader: reader !== undefined, demoSignIn: this.settings.demoSignIn }), reader ? ` ${new URL(reader).origin}` : '');
  }

  @Get('login/card')
  @Public('where the card reader returns: completes the sign-in in the browser; shows nothing personal')
  completeSignIn(@Res() response: Response): void {
    send(response, completeSignInPage());
  }

  @Get('records')
  @CitizenPage()
  async exchangeRecords(@CurrentPrincipal() citizen: Citizen, @Res() response: Response): Promise<void> {
    const [records, events] = await Promise.all([this.records.forCitizen(citizen.portalCode), this.issuer.cardEvents(citizen.certificateSerial)]);
    send(response, recordsPage(records, { events, current: citizen.certificateSerial }, await this.session(citizen), this.legalTable));
  }

  @Get('my-information')
  @CitizenPage()
  async myInformation(@CurrentPrincipal() citizen: Citizen, @Res() response: Response): Promise<void> {
    send(response, myInformationPage(await this.disclosures.latest(citizen.portalCode), await this.session(citizen)));
  }

  /** Sends one self-disclosure inquiry per agency, then shows the page (Post/Redirect/Get). */
  @Post('my-information')
  @Access({ citizen: {} })
  async askAgencies(@CurrentPrincipal() citizen: Citizen, @Body() form: CsrfFormDto, @Req() request: Request, @Res() response: Response): Promise<void> {
    refuseCrossSite(request);
    if (!this.sessions.csrfTokenMatches(citizen.sessionId, form.csrf)) throw new ForbiddenError('the form does not carry this page’s token');
    await this.disclosures.request(citizen.portalCode);
    response.redirect(HttpStatus.SEE_OTHER, '/my-information');
  }

  @Get('assets/portal.css')
  @Public('a stylesheet')
  css(@Res() response: Response): void {
    PORTAL_ASSETS.send(response, 'portal.css');
  }

  @Get('assets/noto-sans-jp.css')
  @Public('the stylesheet that declares the pages’ Japanese font')
  japaneseFontFace(@Res() response: Response): void {
    response.status(HttpStatus.OK).set(JAPANESE_FONT_STYLESHEET_HEADERS).send(JAPANESE_FONT_STYLESHEET);
  }

  @Get('assets/login.js')
  @Public('the sign-in page’s script')
  loginScript(@Res() response: Response): void {
    PORTAL_ASSETS.send(response, 'login.js');
  }

  @Get('assets/portal.js')
  @Public('the pages’ script')
  portalScript(@Res() response: Response): void {
    PORTAL_ASSETS.send(response, 'portal.js');
  }

  @Get('assets/noto-sans-jp.woff2')
  @Public('the pages’ Japanese font (Noto Sans JP, the characters they use)')
  japaneseFont(@Res() response: Response): void {
    response.status(HttpStatus.OK).set(JAPANESE_FONT_HEADERS).send(JAPANESE_FONT_WOFF2);
  }

  @Get('assets/favicon.svg')
  @Public('the portal’s icon')
  favicon(@Res() response: Response): void {
    PORTAL_ASSETS.send(response, 'favicon.svg');
  }

  /** Where browsers look for an icon on their own: the same one. */
  @Get('favicon.ico')
  @Public('the portal’s icon, where browsers look for it')
  faviconIco(@Res() response: Response): void {
    PORTAL_ASSETS.send(response, 'favicon.svg');
  }

  private async session(citizen: Citizen): Promise<PageSession> {
    return { csrf: this.sessions.csrfToken(citizen.sessionId), holder: await this.sessions.holderOf(citizen.sessionId) };
  }
}

function send(response: Response, page: string, formTargets?: string): void {
  response.status(HttpStatus.OK).set(pageHeaders(formTargets)).send(page);
}
