import { Controller, Get, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeadLetterService } from './dead-letters';
import { Operators } from '@myna/platform';

@ApiTags('operator')
@Operators('dead-letter-admin')
@Controller('operator/dead-letters')
export class DeadLetterController {
  constructor(@Inject(DeadLetterService) private readonly deadLetters: DeadLetterService) {}

  @Get()
  @ApiOperation({ summary: 'Messages that could not be processed, with the reason (payloads are never shown)' })
  async list() {
    return { deadLetters: await this.deadLetters.list() };
  }

  @Post(':id/replay')
  @ApiOperation({ summary: 'Put a dead letter back on the inbound queue under its original message id' })
  async replay(@Param('id') id: string) {
    if (!/^[A-Za-z0-9._-]{1,128}$/.test(id)) throw new NotFoundException('no dead letter with that id');
    if (!(await this.deadLetters.replay(id))) throw new NotFoundException(`no dead letter ${id}`);
    return { replayed: id };
  }
}
