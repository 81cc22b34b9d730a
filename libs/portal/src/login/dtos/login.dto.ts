import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

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
}

/** Forms of a signed-in page carry the session's CSRF token. */
export class CsrfFormDto {
  @ApiProperty({ required: false, description: 'the CSRF token of the page this form was on' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'csrf must be the token of the page' })
  csrf?: string;
}

export class LogoutDto extends CsrfFormDto {}
