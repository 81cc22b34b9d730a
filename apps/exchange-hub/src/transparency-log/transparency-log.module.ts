import { Module } from '@nestjs/common';
import { TransparencyLogProofs } from './transparency-log-proofs';
import { TransparencyLogController } from './transparency-log.controller';
import { TransparencyLogRepository } from './transparency-log.repository';

/** The transparency log's read API: signed tree heads, proofs, and (for auditors) the leaves. */
@Module({
  controllers: [TransparencyLogController],
  providers: [TransparencyLogRepository, TransparencyLogProofs],
})
export class TransparencyLogModule {}
