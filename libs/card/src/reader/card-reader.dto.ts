import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { CARD_ID_PATTERN } from '../store/card-store';

export class ReaderSignDto {
  @ApiProperty({ example: 'demo-sato-hanako' })
  @Matches(CARD_ID_PATTERN, { message: 'cardId must name a card in the reader' })
  cardId!: string;

  @ApiProperty({ description: 'the 4-digit PIN, as typed on the reader; passed to the chip and nowhere else' })
  @Matches(/^\d{4}$/, { message: 'pin must be exactly 4 digits' })
  pin!: string;

  @ApiProperty({ description: 'base64url of the bytes the relying party asks the chip to sign' })
  @Matches(/^[A-Za-z0-9_-]{1,5462}$/, { message: 'toBeSigned must be base64url, at most 4 kB decoded' })
  toBeSigned!: string;
}

export class ReaderSignatureDto {
  @ApiProperty({ description: "the chip's user-authentication certificate" })
  certificate!: string;

  @ApiProperty({ description: 'Ed25519 signature over toBeSigned, base64url' })
  signature!: string;
}

export class ReaderCardDto {
  @ApiProperty()
  cardId!: string;

  @ApiPropertyOptional({ description: "the holder's name, as on the card face" })
  holder?: string;

  @ApiPropertyOptional({ description: 'the My Number, masked but for its last four digits' })
  maskedMyNumber?: string;

  @ApiPropertyOptional({ description: 'the card-face photo (data URL)' })
  photo?: string;

  @ApiPropertyOptional()
  pinTriesLeft?: number;

  @ApiProperty({ enum: ['ready', 'locked', 'tampered', 'unreadable'] })
  state!: 'ready' | 'locked' | 'tampered' | 'unreadable';
}
