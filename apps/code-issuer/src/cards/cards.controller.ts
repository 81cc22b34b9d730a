import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CertificateSerialPipe } from './certificate-serial.pipe';
import { CardsExceptionFilter } from './cards-exception.filter';
import { CardsService } from './cards.service';
import {
  CardStatusQueryDto,
  CertificateStatusDto,
  IssueCardDto,
  IssuedCardDto,
  PinResetAuthorizationDto,
  PinResetDto,
  RevokeCardDto,
  SignedCertificateStatusDto,
} from './dtos/card.dto';

@ApiTags('card certificates')
@Controller('cards')
@UseFilters(CardsExceptionFilter)
export class CardsController {
  constructor(private readonly cards: CardsService) {}

  @Get('issuer-key')
  @ApiOperation({ summary: "code-issuer's public signing key: the trust anchor chips are personalised with" })
  issuerKey() {
    return { issuer: 'code-issuer', ...this.cards.issuerKey() };
  }

  @Post()
  @ApiOperation({ summary: "Issue a card's user-authentication certificate for a registered citizen (binds a new serial to the chip's public key; no My Number in it)" })
  @ApiCreatedResponse({ type: IssuedCardDto })
  @ApiBadRequestResponse({ description: 'a field is missing or wrong, or not exactly one identifier was given' })
  @ApiNotFoundResponse({ description: 'no citizen with this identifier' })
  @ApiConflictResponse({ description: 'this public key is already certified' })
  issue(@Body() request: IssueCardDto): Promise<IssuedCardDto> {
    return this.cards.issue(request);
  }

  @Get(':serial/status')
  @ApiOperation({ summary: 'Status of a certificate (valid, suspended, revoked, expired), signed with the caller’s nonce: relying parties check it on every login' })
  @ApiOkResponse({ type: SignedCertificateStatusDto })
  @ApiNotFoundResponse({ description: 'no such certificate' })
  status(@Param('serial', CertificateSerialPipe) serial: string, @Query() query: CardStatusQueryDto): Promise<SignedCertificateStatusDto> {
    return this.cards.status(serial, query.nonce);
  }

  @Post(':serial/suspend')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'The suspension hotline (一時停止): available at any time, effective at once; needs neither the card nor its PIN' })
  @ApiOkResponse({ type: CertificateStatusDto })
  @ApiNotFoundResponse({ description: 'no such certificate' })
  suspend(@Param('serial', CertificateSerialPipe) serial: string): Promise<CertificateStatusDto> {
    return this.cards.suspend(serial);
  }

  @Post(':serial/revoke')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Revoke a certificate (失効) for good' })
  @ApiOkResponse({ type: CertificateStatusDto })
  @ApiNotFoundResponse({ description: 'no such certificate' })
  revoke(@Param('serial', CertificateSerialPipe) serial: string, @Body() body: RevokeCardDto): Promise<CertificateStatusDto> {
    return this.cards.revoke(serial, body.reason ?? 'holder-request');
  }

  @Post(':serial/pin-reset')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Authorize a PIN reset (at the counter, after checking the holder in person): a signed authorization only this chip accepts, once' })
  @ApiOkResponse({ type: PinResetAuthorizationDto })
  @ApiNotFoundResponse({ description: 'no such certificate' })
  @ApiConflictResponse({ description: 'the certificate is not in use, or the key is not the certified one' })
  pinReset(@Param('serial', CertificateSerialPipe) serial: string, @Body() body: PinResetDto): Promise<PinResetAuthorizationDto> {
    return this.cards.authorizePinReset(serial, body);
  }
}
