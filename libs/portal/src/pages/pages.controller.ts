import { Controller, Get, Headers, HttpStatus, Inject, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ExchangeRecordsService } from '../exchange-records/exchange-records.service';
import { PORTAL_SETTINGS, type PortalSettings } from '../portal-settings';
import { SelfDisclosureService } from '../self-disclosure/self-disclosure.service';
import { SessionService, type SignedIn } from '../sessions/session.service';
import { LOGIN_SCRIPT, PORTAL_CSS, PORTAL_SCRIPT } from './assets/portal-assets';
import { loginPage } from './login.page';
import { myInformationPage } from './my-information.page';
import { recordsPage } from './records.page';

/** Scripts and styles from this origin only, no framing, no referrer: the pages show personal data. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/** The citizen's pages, rendered on the server. Every page but the login page needs a session. */
@ApiExcludeController()
@Controller()
export class PagesController {
  constructor(
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(ExchangeRecordsService) private readonly records: ExchangeRecordsService,
    @Inject(SelfDisclosureService) private readonly disclosures: SelfDisclosureService,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
  ) {}

  @Get()
  async home(@Headers('cookie') cookie: string | undefined, @Res() response: Response): Promise<void> {
    response.redirect(HttpStatus.SEE_OTHER, (await this.sessions.current(cookie)) ? '/records' : '/login');
  }

  @Get('login')
  async login(@Headers('cookie') cookie: string | undefined, @Res() response: Response): Promise<void> {
    if (await this.sessions.current(cookie)) return response.redirect(HttpStatus.SEE_OTHER, '/records');
    send(response, loginPage({ cardReader: this.settings.cardReader.enabled }));
  }

  @Get('records')
  async exchangeRecords(@Headers('cookie') cookie: string | undefined, @Res() response: Response): Promise<void> {
    await this.signedIn(cookie, response, async (citizen) => send(response, recordsPage(await this.records.forCitizen(citizen.portalCode))));
  }

  @Get('my-information')
  async myInformation(@Headers('cookie') cookie: string | undefined, @Res() response: Response): Promise<void> {
    await this.signedIn(cookie, response, async (citizen) => send(response, myInformationPage(await this.disclosures.latest(citizen.portalCode))));
  }

  /** Sends one self-disclosure inquiry per agency, then shows the page (Post/Redirect/Get). */
  @Post('my-information')
  async askAgencies(@Headers('cookie') cookie: string | undefined, @Res() response: Response): Promise<void> {
    await this.signedIn(cookie, response, async (citizen) => {
      await this.disclosures.request(citizen.portalCode);
      response.redirect(HttpStatus.SEE_OTHER, '/my-information');
    });
  }

  @Get('assets/portal.css')
  css(@Res() response: Response): void {
    asset(response, 'text/css; charset=utf-8', PORTAL_CSS);
  }

  @Get('assets/login.js')
  loginScript(@Res() response: Response): void {
    asset(response, 'text/javascript; charset=utf-8', LOGIN_SCRIPT);
  }

  @Get('assets/portal.js')
  portalScript(@Res() response: Response): void {
    asset(response, 'text/javascript; charset=utf-8', PORTAL_SCRIPT);
  }

  private async signedIn(cookie: string | undefined, response: Response, render: (citizen: SignedIn) => Promise<void>): Promise<void> {
    const citizen = await this.sessions.current(cookie);
    if (!citizen) return response.redirect(HttpStatus.SEE_OTHER, '/login');
    await render(citizen);
  }
}

function send(response: Response, page: string): void {
  response.status(HttpStatus.OK).set(PAGE_HEADERS).send(page);
}

function asset(response: Response, type: string, body: string): void {
  response.status(HttpStatus.OK).set({ 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' }).send(body);
}
