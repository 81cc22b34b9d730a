import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import type { RejectedMessage } from '@myna/messaging';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ExchangeIdParamDto, ListExchangesQueryDto, ListQueryDto } from './dtos/exchange-query.dto';
import { ExchangeListDto, ExchangeSummaryDto, RejectionListDto } from './dtos/exchange-summary.dto';
import { ExchangeNotFoundError } from './exchange-log.exception';
import { ExchangeLogRepository, type ExchangeSummary } from './exchange-log.repository';
import { Operators } from '@myna/platform';

@ApiTags('exchange log')
@Operators('hub-auditor')
@Controller()
export class ExchangeLogController {
  constructor(@Inject(ExchangeLogRepository) private readonly log: ExchangeLogRepository) {}

  @Get('exchanges')
  @ApiOperation({ summary: 'Exchanges the hub mediated, newest first: parties, rule, item, status, reason and times only; no party’s handle' })
  @ApiOkResponse({ type: ExchangeListDto })
  @ApiBadRequestResponse({ description: 'limit or status is not valid; the message names it' })
  async list(@Query() query: ListExchangesQueryDto): Promise<ExchangeListDto> {
    return { exchanges: (await this.log.listExchanges(query.limit, query.status)).map(toSummaryDto) };
  }

  @Get('exchanges/:id')
  @ApiOperation({ summary: 'One exchange (metadata only)' })
  @ApiOkResponse({ type: ExchangeSummaryDto })
  @ApiBadRequestResponse({ description: 'the id is not a UUID' })
  @ApiNotFoundResponse({ description: 'code exchange-not-found' })
  async get(@Param() params: ExchangeIdParamDto): Promise<ExchangeSummaryDto> {
    const exchange = await this.log.findSummary(params.id);
    if (!exchange) throw new ExchangeNotFoundError(params.id);
    return toSummaryDto(exchange);
  }

  @Get('rejections')
  @ApiOperation({ summary: 'Messages the hub refused, newest first, with the reason (they are also dead-lettered)' })
  @ApiOkResponse({ type: RejectionListDto })
  async rejections(@Query() query: ListQueryDto): Promise<RejectionListDto> {
    return { rejections: (await this.log.listRejections(query.limit)).map(toRejectionDto) };
  }
}

function toSummaryDto(exchange: ExchangeSummary): ExchangeSummaryDto {
  return {
    id: exchange.id,
    requester: exchange.requester,
    provider: exchange.provider,
    rule: exchange.rule,
    item: exchange.item,
    status: exchange.status,
    reason: exchange.reason,
    createdAt: exchange.createdAt.toISOString(),
    closedAt: exchange.closedAt?.toISOString() ?? null,
  };
}

function toRejectionDto(rejection: RejectedMessage) {
  return {
    id: String(rejection.id),
    jobId: rejection.jobId,
    jobName: rejection.jobName,
    reason: rejection.reason,
    detail: rejection.detail,
    sender: rejection.sender,
    messageId: rejection.messageId,
    receivedAt: rejection.receivedAt.toISOString(),
  };
}
