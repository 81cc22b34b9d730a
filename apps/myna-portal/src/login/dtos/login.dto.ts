import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

/** A card-face photo the reader passes on for the header; a larger one is left out. */
export const HOLDER_PHOTO_MAX_LENGTH = 16 * 1024;

export class LoginChallengeDto {
  @ApiProperty({ description: 'which challenge this is (send it back with the signature)' })
  challengeId!: string;

  @ApiProperty({ description: 'base64url of the exact bytes the chip must sign: context, relying party, nonce' })
  toBeSigned!: string;

  @ApiProperty()
  expiresAt!: string;
}

export class CompleteLoginDto {
  @ApiProperty()
  @IsUUID('4', { message: 'challengeId must be the id of a sign-in challenge' })
  challengeId!: string;

  @ApiProperty({ description: "the card's user-authentication certificate (card-certificate+jwt), as the chip gave it" })
  @IsString()
  @MaxLength(8192)
  certificate!: string;

  @ApiProperty({ description: "the chip's Ed25519 signature over toBeSigned, base64url" })
  @Matches(/^[A-Za-z0-9_-]{86}$/, { message: 'signature must be an Ed25519 signature in base64url (86 characters)' })
  signature!: string;

  @ApiProperty({ required: false, description: "the holder's name as the card's face shows it, read by the card reader: shown in the pages' header, never used to decide anything" })
  @IsOptional()
  @MaxLength(100)
  @Matches(/^[^\p{Cc}]+$/u, { message: 'holderName must be a name without control characters' })
  holderName?: string;

  @ApiProperty({ required: false, description: "the photo on the card's face (a data: URL of a PNG, JPEG or SVG image, at most 16 KiB), read by the card reader" })
  @IsOptional()
  @MaxLength(HOLDER_PHOTO_MAX_LENGTH)
  @Matches(/^data:image\/(png|jpeg|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/, { message: 'holderPhoto must be a base64 data URL of a PNG, JPEG or SVG image' })
  holderPhoto?: string;
}

/** Forms of a signed-in page carry the session's CSRF token. */
export class CsrfFormDto {
  @ApiProperty({ required: false, description: 'the CSRF token of the page this form was on' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'csrf must be the token of the page' })
  csrf?: string;
}

export class LogoutDto extends CsrfFormDto {}
