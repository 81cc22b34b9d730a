import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PersonsService } from '../persons/persons.service';
import { enrolBatchSchema, enrolPersonSchema, type EnrolBatch, type EnrolPerson, type EnrolmentOutcome } from './enrol-person.schema';
import { EnrolmentService } from './enrolment.service';
import { Access, Operators, RateLimit, ZodBodyPipe, openApiSchemaOf } from '@myna/platform';

@ApiTags('persons')
@Controller('persons')
export class EnrolmentController {
  constructor(
    @Inject(EnrolmentService) private readonly enrolment: EnrolmentService,
    @Inject(PersonsService) private readonly persons: PersonsService,
  ) {}

  @Post()
  @Operators('agency-officer')
  @RateLimit('enrolment')
  @ApiOperation({ summary: 'Enrol one person: obtain this agency’s code from code-issuer, keep the code, discard the My Number' })
  @ApiBody({ schema: openApiSchemaOf(enrolPersonSchema) })
  async enrolOne(@Body(new ZodBodyPipe(enrolPersonSchema)) person: EnrolPerson, @Res({ passthrough: true }) response: Response) {
    const [outcome] = await this.enrolment.enrol([person]);
    response.status(statusOf(outcome));
    return outcome;
  }

  @Post('batch')
  @Operators('agency-officer')
  @RateLimit('enrolment')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Enrol up to 1,000 people in one request (used by seeding); one outcome per person, in order' })
  @ApiBody({ schema: openApiSchemaOf(enrolBatchSchema) })
  async enrolBatch(@Body(new ZodBodyPipe(enrolBatchSchema)) batch: EnrolBatch): Promise<{ outcomes: EnrolmentOutcome[] }> {
    return { outcomes: await this.enrolment.enrol(batch.persons) };
  }

  @Get('count')
  @Access({ roles: ['agency-officer', 'records-clerk'] })
  @ApiOperation({ summary: 'How many people this agency has enrolled' })
  async count(): Promise<{ count: number }> {
    return { count: await this.persons.count() };
  }

  @Get(':personId')
  @Operators('records-clerk')
  @ApiOperation({ summary: 'What this agency holds about one of its persons (by its internal id)' })
  describe(@Param('personId', new ParseUUIDPipe({ version: '4' })) personId: string) {
    return this.persons.describe(personId);
  }
}

function statusOf(outcome: EnrolmentOutcome): number {
  if (outcome.status === 'enrolled') return HttpStatus.CREATED;
  if (outcome.status === 'already-enrolled') return HttpStatus.OK;
  return HttpStatus.UNPROCESSABLE_ENTITY;
}
