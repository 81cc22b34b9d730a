import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CitizenBatchRegisteredDto, CitizenCountDto, CitizenRegisteredDto } from './dtos/citizen-registration.dto';
import { RegisterCitizenDto } from './dtos/register-citizen.dto';
import { RegisterCitizensDto } from './dtos/register-citizens.dto';
import { RegisterService } from './register.service';
import { Operators } from '@myna/platform';

@ApiTags('residence register')
@Operators('registrar')
@Controller('citizens')
export class RegisterController {
  constructor(private readonly registerService: RegisterService) {}

  @Post()
  @ApiOperation({ summary: 'Register a citizen; My Number and residence code are drawn when absent' })
  @ApiCreatedResponse({ type: CitizenRegisteredDto })
  @ApiBadRequestResponse({ description: 'a field is missing or wrong; the message names it' })
  @ApiConflictResponse({ description: 'the My Number or residence code is already registered' })
  register(@Body() citizen: RegisterCitizenDto): Promise<CitizenRegisteredDto> {
    return this.registerService.registerOne(citizen);
  }

  @Post('batch')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Register up to 1000 citizens in one transaction; results in request order' })
  @ApiOkResponse({ type: CitizenBatchRegisteredDto })
  @ApiBadRequestResponse({ description: 'a field is missing or wrong; the message names the citizen and the field' })
  async registerBatch(@Body() batch: RegisterCitizensDto): Promise<CitizenBatchRegisteredDto> {
    const results = await this.registerService.registerMany(batch.citizens);
    const registered = results.filter((result) => result.status === 'registered').length;
    return { registered, refused: results.length - registered, results };
  }

  @Get('count')
  @ApiOperation({ summary: 'How many citizens the register holds' })
  @ApiOkResponse({ type: CitizenCountDto })
  async count(): Promise<CitizenCountDto> {
    return { count: await this.registerService.count() };
  }
}
