import { type DynamicModule, Module } from '@nestjs/common';
import { SERVICE_HOME, ServiceHomeController } from './service-home.controller';
import type { ServiceHomeFacts } from './service-home';

@Module({})
export class ServiceHomeModule {
  static register(service: ServiceHomeFacts): DynamicModule {
    return { module: ServiceHomeModule, controllers: [ServiceHomeController], providers: [{ provide: SERVICE_HOME, useValue: service }] };
  }
}
