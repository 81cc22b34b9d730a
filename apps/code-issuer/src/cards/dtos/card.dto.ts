import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Equals, IsDefined, IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { CERTIFICATE_STATUSES } from '@myna/card';
import { IsMyNumber, IsResidenceCode } from '../../register/dtos/register-validators';
import { REVOCATION_REASONS } from '../card-certificate.entity';

const BASE64URL_NONCE = /^[A-Za-z0-9_-]{16,128}$/;
const isPresent = (_: object, value: unknown) => value !== undefined;

export class Ed25519PublicKeyDto {
  @ApiProperty({ example: 'OKP' })
  @Equals('OKP', { message: 'kty must be OKP' })
  kty!: 'OKP';

  @ApiProperty({ example: 'Ed25519' })
  @Equals('Ed25519', { message: 'crv must be Ed25519' })
  crv!: 'Ed25519';

  @ApiProperty({ description: 'the 32-byte public key, base64url', example: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' })
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'x must be a 32-byte key in base64url (43 characters)' })
  x!: string;
}

/** A card being issued: whose it is (one identifier), and the public key its chip has just made. */
export class IssueCardDto {
  @ApiPropertyOptional({ example: '123456789018', description: 'the holder’s My Number; give this or residenceCode' })
  @ValidateIf(isPresent)
  @IsMyNumber()
  myNumber?: string;

  @ApiPropertyOptional({ example: '12345678908', description: 'the holder’s residence code; give this or myNumber' })
  @ValidateIf(isPresent)
  @IsResidenceCode()
  residenceCode?: string;

  @ApiProperty({ type: Ed25519PublicKeyDto, description: "the chip's user-authentication public key (JWK, Ed25519)" })
  @IsDefined({ message: 'publicKey is required' })
  @ValidateNested()
  @Type(() => Ed25519PublicKeyDto)
  publicKey!: Ed25519PublicKeyDto;
}

export class IssuedCardDto {
  @ApiProperty({ example: '3F9A0C5B7E21D4486A10' })
  certificateSerial!: string;

  @ApiProperty({ description: 'card-certificate+jwt: compact JWS by code-issuer binding the serial to the key; no My Number' })
  certificate!: string;

  @ApiProperty()
  issuedAt!: string;

  @ApiProperty()
  expiresAt!: string;

  @ApiProperty({ type: [String], description: "the citizen's earlier certificates, revoked as superseded" })
  superseded!: string[];
}

export class CardStatusQueryDto {
  @ApiPropertyOptional({ description: "the relying party's nonce (16-128 base64url characters), echoed in the signed status" })
  @IsOptional()
  @Matches(BASE64URL_NONCE, { message: 'nonce must be 16 to 128 base64url characters' })
  nonce?: string;
}

export class CertificateStatusDto {
  @ApiProperty()
  certificateSerial!: string;

  @ApiProperty({ enum: CERTIFICATE_STATUSES })
  status!: string;

  @ApiProperty()
  expiresAt!: string;

  @ApiProperty({ nullable: true, type: String })
  changedAt!: string | null;
}

export class SignedCertificateStatusDto extends CertificateStatusDto {
  @ApiProperty({ description: 'card-status+jwt signed by code-issuer: serial, status, nonce; valid 60 s' })
  statusToken!: string;
}

export class RevokeCardDto {
  @ApiPropertyOptional({ enum: ['holder-request', 'lost-or-stolen'], default: 'holder-request' })
  @IsOptional()
  @IsIn(REVOCATION_REASONS.filter((reason) => reason !== 'superseded'), { message: 'reason must be holder-request or lost-or-stolen' })
  reason?: 'holder-request' | 'lost-or-stolen';
}

export class PinResetDto {
  @ApiProperty({ description: "RFC 7638 thumbprint of the chip's public key, as the chip reports it" })
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'keyThumbprint must be a SHA-256 JWK thumbprint (43 base64url characters)' })
  keyThumbprint!: string;

  @ApiProperty({ description: 'the nonce the chip drew for this reset' })
  @Matches(BASE64URL_NONCE, { message: 'nonce must be 16 to 128 base64url characters' })
  nonce!: string;
}

export class PinResetAuthorizationDto {
  @ApiProperty({ description: 'card-pin-reset+jwt signed by code-issuer; the chip accepts it once, within 5 minutes' })
  authorization!: string;
}

/** What a caller of the hotline must know of the holder, besides the serial. */
export class ReportLostCardDto {
  @ApiProperty({ example: 'Hanako Sato', description: "the holder's name, as registered" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: '1980-04-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateOfBirth must be YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'dateOfBirth must be a real date' })
  dateOfBirth!: string;
}

export class HotlineAnswerDto {
  @ApiProperty()
  received!: true;

  @ApiProperty()
  message!: string;
}

export class CardEventDto {
  @ApiProperty()
  certificateSerial!: string;

  @ApiProperty({ enum: ['issued', 'superseded', 'suspended', 'resumed', 'pin-reset', 'revoked'] })
  kind!: string;

  @ApiProperty({ nullable: true, type: String, description: 'e.g. the hotline, or why a card was revoked' })
  detail!: string | null;

  @ApiProperty()
  at!: string;
}

export class CardEventsDto {
  @ApiProperty({ type: [CardEventDto] })
  events!: CardEventDto[];
}
