import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CODE_HOLDERS } from '@myna/protocol';
import { EXCHANGE_STATES } from '../exchange.entity';

/** An exchange as the hub's operator and auditor see it: metadata, never a party's handle, a ciphertext or a token. */
export class ExchangeSummaryDto {
  @ApiProperty({ format: 'uuid', description: 'The hub’s own id for the exchange, which no party knows it by' }) id!: string;
  @ApiProperty({ enum: CODE_HOLDERS }) requester!: string;
  @ApiProperty({ enum: CODE_HOLDERS }) provider!: string;
  @ApiProperty({ example: 'R-PEN-TAX-INCOME' }) rule!: string;
  @ApiProperty({ example: 'annual-income' }) item!: string;
  @ApiProperty({ enum: EXCHANGE_STATES }) status!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why it was denied' }) reason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) closedAt!: string | null;
}

export class ExchangeListDto {
  @ApiProperty({ type: [ExchangeSummaryDto] }) exchanges!: ExchangeSummaryDto[];
}

/** A message the hub refused: never its token. */
export class RejectionDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'The queue job that carried it' }) jobId!: string;
  @ApiProperty({ example: 'inquiry' }) jobName!: string;
  @ApiProperty({ example: 'bad-signature' }) reason!: string;
  @ApiProperty() detail!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The verified signer, when the signature checked out' }) sender!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) messageId!: string | null;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
}

export class RejectionListDto {
  @ApiProperty({ type: [RejectionDto] }) rejections!: RejectionDto[];
}
