import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/access-rule';
import { SERVICE_HOME_HEADERS, serviceHomePage, type ServiceHomeFacts } from './service-home';

export const SERVICE_HOME = Symbol('SERVICE_HOME');

/** `/` of a service: a page naming it and its links, instead of "Cannot GET /". */
@ApiExcludeController()
@Controller()
export class ServiceHomeController {
  private readonly page: string;

  constructor(@Inject(SERVICE_HOME) service: ServiceHomeFacts) {
    this.page = serviceHomePage(service);
  }

  @Get()
  @Public('the service’s front page: its name and the links to its documentation and health; nothing about anyone')
  home(@Res() response: Response): void {
    response.status(HttpStatus.OK).set(SERVICE_HOME_HEADERS).send(this.page);
  }
}
