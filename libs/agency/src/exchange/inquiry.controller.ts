import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, ParseIntPipe, ParseUUIDPipe, Post, Query, DefaultValuePipe } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InquiryService } from './inquiry.service';
import { StartInquiryDto } from './start-inquiry.dto';
import { Operators } from '@myna/platform';

@ApiTags('exchange')
@Operators('agency-officer')
@Controller()
export class InquiryController {
  constructor(@Inject(InquiryService) private readonly inquiries: InquiryService) {}

  @Post('inquiries')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Ask another agency, through the hub, for one item about one of this agency’s persons under a legal rule' })
  async start(@Body() request: StartInquiryDto) {
    const inquiry = await this.inquiries.start(request);
    return { inquiryId: inquiry.id, status: inquiry.status };
  }

  @Get('inquiries/:inquiryId')
  @ApiOperation({ summary: 'An inquiry’s status and, once answered, its result' })
  find(@Param('inquiryId', new ParseUUIDPipe({ version: '4' })) inquiryId: string) {
    return this.inquiries.find(inquiryId);
  }

  @Get('exchange-records')
  @ApiQuery({ name: 'limit', required: false })
  @ApiOperation({ summary: 'This agency’s exchanges: what it asked (requested) and what it gave (provided)' })
  records(@Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number) {
    return this.inquiries.exchangeRecords(Math.min(Math.max(limit, 1), 1000));
  }
}
