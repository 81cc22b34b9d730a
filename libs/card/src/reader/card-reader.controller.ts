import { Body, Controller, Get, Header, HttpCode, HttpStatus, Inject, Logger, Post, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CardError, ChipTamperedError } from '../card.exception';
import { maskMyNumber } from '../chip/card-face';
import { IcChip } from '../chip/ic-chip';
import type { CardStore } from '../store/card-store';
import { CardReaderExceptionFilter } from './card-reader-exception.filter';
import { ReaderCardDto, ReaderSignatureDto, ReaderSignDto } from './card-reader.dto';
import { READER_SCRIPT } from './reader-script';

export const CARD_READER_STORE = Symbol('CARD_READER_STORE');

/**
 * The demo's virtual card reader. It is the citizen's side, not the portal's:
 * it lists the cards "in the wallet" (the card store), passes the typed PIN and
 * the relying party's challenge to the chip, and returns what the chip signed.
 * It never sees a private key: the chip signs inside.
 */
@ApiTags('virtual card reader (demo)')
@Controller('card-reader')
@UseFilters(CardReaderExceptionFilter)
export class CardReaderController {
  private readonly logger = new Logger('card-reader');

  constructor(@Inject(CARD_READER_STORE) private readonly store: CardStore) {}

  @Get('cards')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'The cards in the reader: holder name, masked My Number, photo, PIN state' })
  @ApiOkResponse({ type: [ReaderCardDto] })
  async cards(): Promise<ReaderCardDto[]> {
    const cards: ReaderCardDto[] = [];
    for (const cardId of await this.store.list()) {
      try {
        const chip = await IcChip.open(this.store, cardId);
        const { cardFace, pinStatus } = await chip.readContents();
        cards.push({
          cardId,
          holder: cardFace.name,
          // The face shows the full number; a list on a shared screen does not need to.
          maskedMyNumber: maskMyNumber(cardFace.myNumber),
          photo: cardFace.photo,
          pinTriesLeft: pinStatus.retriesLeft,
          state: pinStatus.locked ? 'locked' : 'ready',
        });
      } catch (error) {
        if (!(error instanceof CardError)) throw error;
        cards.push({ cardId, state: error instanceof ChipTamperedError ? 'tampered' : 'unreadable' });
      }
    }
    return cards;
  }

  @Post('sign')
  @HttpCode(HttpStatus.OK)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Ask a card to sign a relying party’s challenge after its PIN (every signature needs the PIN)' })
  @ApiOkResponse({ type: ReaderSignatureDto })
  async sign(@Body() request: ReaderSignDto): Promise<ReaderSignatureDto> {
    const chip = await IcChip.open(this.store, request.cardId);
    try {
      return await chip.signForAuthentication(request.pin, Buffer.from(request.toBeSigned, 'base64url'));
    } catch (error) {
      if (error instanceof CardError) this.logger.warn({ cardId: request.cardId, reason: error.reason }, 'the card refused to sign');
      throw error;
    }
  }

  @Get('reader.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-cache')
  script(): string {
    return READER_SCRIPT;
  }
}
