import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Access, Operators, Public, RateLimit } from '@myna/platform';
import { CertificateSerialPipe } from './certificate-serial.pipe';
import { CardsService } from './cards.service';
import {
  CardEventsDto,
  CardStatusQueryDto,
  CertificateStatusDto,
  HotlineAnswerDto,
  IssueCardDto,
  IssuedCardDto,
  PinResetAuthorizationDto,
  PinResetDto,
  ReportLostCardDto,
  RevokeCardDto,
  SignedCertificateStatusDto,
} from './dtos/card.dto';
import { CODE_ISSUER, MYNA_PORTAL } from '@myna/protocol';

/** What the hotline answers, whatever it did: it must not tell a caller whether the details matched. */
export const HOTLINE_ANSWER = 'If these details match a card in use, it is suspended now and every sign-in with it is refused. To lift a suspension, bring the card to your municipal office.';

/**
 * Card certificates at the issuer (JPKI). The card's life is a counter workflow:
 * issuing, PIN resets, lifting a suspension and revoking are a registrar's acts;
 * the hotline is public but only suspends; relying parties (the portal) check the
 * status on every sign-in.
 */
@ApiTags('card certificates')
@Controller('cards')
export class CardsController {
  constructor(private readonly cards: CardsService) {}

  @Get('issuer-key')
  @Operators('registrar')
  @ApiOperation({ summary: "code-issuer's public signing key: the trust anchor chips are personalised with" })
  issuerKey() {
    return { issuer: CODE_ISSUER, ...this.cards.issuerKey() };
  }

  @Post()
  @Operators('registrar')
  @ApiOperation({ summary: "Issue a card's user-authentication certificate for a registered citizen (binds a new serial to the chip's public key; no My Number in it); earlier cards are revoked as superseded" })
  @ApiCreatedResponse({ type: IssuedCardDto })
  @ApiBadRequestResponse({ description: 'a field is missing or wrong, or not exactly one identifier was given' })
  @ApiNotFoundResponse({ description: 'no citizen with this identifier' })
  @ApiConflictResponse({ description: 'this public key is already certified' })
  issue(@Body() request: IssueCardDto): Promise<IssuedCardDto> {
    return this.cards.issue(request);
  }

  @Get(':serial/status')
  @Access({ roles: ['registrar'], services: [MYNA_PORTAL] })
  @ApiOperation({ summary: 'Status of a certificate (valid, suspended, revoked, expired), signed with the caller’s nonce: relying parties check it on every login' })
  @ApiOkResponse({ type: SignedCertificateStatusDto })
  @ApiNotFoundResponse({ description: 'no such certificate' })
  status(@Param('serial', CertificateSerialPipe) serial: string, @Query() query: CardStatusQueryDto): Promise<SignedCertificateStatusDto> {
    return this.cards.status(serial, query.nonce);
  }

  @Get(':serial/events')
  @Access({ roles: ['registrar'], services: [MYNA_PORTAL] })
  @ApiOperation({ summary: "Every event of every card of this certificate's holder (issued, superseded, suspended, resumed, PIN reset, revoked), for the citizen's portal" })
  @ApiOkResponse({ type: CardEventsDto })
  async events(@Param('serial', CertificateSerialPipe) serial: string): Promise<CardEventsDto> {
    const events = await this.cards.events(serial);
    return { events: events.map((event) => ({ certificateSerial: event.certificateSerial, kind: event.kind, detail: event.detail, at: event.at.toISOString() })) };
  }

  @Post(':serial/suspend')
  @HttpCode(HttpStatus.ACCEPTED)
  @Public('the lost-card hotline (一時停止): anyone, at any hour; it only suspends, needs the holder’s name and date of birth, and answers the same whatever happened')
  @RateLimit('hotline')
  @ApiOperation({ summary: 'The suspension hotline (一時停止): available at any time, effective at once; needs the serial and the holder’s name and date of birth, neither the card nor its PIN' })
  @ApiAcceptedResponse({ type: HotlineAnswerDto })
  async reportLost(@Param('serial', CertificateSerialPipe) serial: string, @Body() holder: ReportLostCardDto): Promise<HotlineAnswerDto> {
    await this.cards.reportLost(serial, holder);
    return { received: true, message: HOTLINE_ANSWER };
  }

  @Post(':serial/resume')
  @HttpCode(HttpStatus.OK)
  @Operators('registrar')
  @ApiOperation({ summary: 'Lift a suspension (一時停止の解除), at the counter, once the holder has the card back' })
  @ApiOkResponse({ type: CertificateStatusDto })
  @ApiNotFoundResponse({ description: 'no such certificate' })
  resume(@Param('serial', CertificateSerialPipe) serial: string): Promise<CertificateStatusDto> {
    return this.cards.resume(serial);
  }

  @Post(':serial/revoke')
  @HttpCode(HttpStatus.OK)
  @Operators('registrar')
  @ApiOperation({ summary: 'Revoke a certificate (失効) for good' })
  @ApiOkResponse({ type: CertificateStatusDto })
  @ApiNotFoundResponse({ description: 'no such certificate' })
  revoke(@Param('serial', CertificateSerialPipe) serial: string, @Body() body: RevokeCardDto): Promise<CertificateStatusDto> {
    return this.cards.revoke(serial, body.reason ?? 'holder-request');
  }

  @Post(':serial/pin-reset')
  @HttpCode(HttpStatus.OK)
  @Operators('registrar')
  @ApiOperation({ summary: 'Authorize a PIN reset (at the counter, after checking the holder in person): a signed authorization only this chip accepts, once' })
  @ApiOkResponse({ type: PinResetAuthorizationDto })
  @ApiNotFoundResponse({ description: 'no such certificate' })
  @ApiConflictResponse({ description: 'the certificate is not in use, or the key is not the certified one' })
  pinReset(@Param('serial', CertificateSerialPipe) serial: string, @Body() body: PinResetDto): Promise<PinResetAuthorizationDto> {
    return this.cards.authorizePinReset(serial, body);
  }
}
