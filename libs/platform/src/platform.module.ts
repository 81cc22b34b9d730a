import { DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { ServiceKeyRing } from '@myna/protocol';
import type { ServiceConfig } from './config/service-config';
import { SERVICE_CONFIG, SERVICE_KEYS } from './config/service-config.token';
import { serviceDataSourceOptions, type EntityList, type MigrationList } from './database/data-source-options';
import { AccessModule } from './auth/access.module';
import { FederationExceptionFilter } from './errors/federation-exception.filter';
import { HealthModule } from './health/health.module';
import { ServiceHomeModule } from './home/service-home.module';
import { AccessLogModule, loggerParams } from './logging/logging';
import { RedisModule } from './redis/redis.module';

/** What a process of a service is: an API that may also consume its queue, or a worker alone. */
export interface ServiceRuntime {
  config: ServiceConfig;
  /** Whether this process runs the service's queue worker. */
  consume: boolean;
}

/** What makes one service different from another: its name, its tables, its features. */
export interface ServiceDefinition {
  name: ServiceConfig['service']['name'];
  /** Shown in the OpenAPI docs. */
  title: string;
  description: string;
  entities: EntityList;
  migrations: MigrationList;
  /** The service's feature modules; a function when they depend on whether this process consumes queues. */
  imports?: ModuleMetadata['imports'] | ((runtime: ServiceRuntime) => ModuleMetadata['imports']);
  /** Whether the service signs or decrypts messages, and so refuses to start without its key file. */
  usesKeys?: boolean;
  /** Whether the service serves `/` itself (the portal: its sign-in); otherwise `/` is a page naming the service and its links. */
  ownHomePage?: boolean;
  /** Routes that take bulk bodies, with their byte limit; every other route takes at most 32 KiB. */
  bulkRoutes?: Readonly<Record<string, number>>;
}

@Module({})
class ServiceConfigModule {
  static register(config: ServiceConfig, keys: ServiceKeyRing | undefined): DynamicModule {
    return {
      module: ServiceConfigModule,
      global: true,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ ...config })] })],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: SERVICE_KEYS, useValue: keys ?? null },
      ],
      exports: [SERVICE_CONFIG, SERVICE_KEYS, ConfigModule],
    };
  }
}

/** The root module of a service: config, logging, its own database, Redis, health, then its features. */
@Module({})
export class ServiceRootModule {
  static forService(definition: ServiceDefinition, runtime: ServiceRuntime, keys?: ServiceKeyRing): DynamicModule {
    const { config } = runtime;
    const features = typeof definition.imports === 'function' ? definition.imports(runtime) : definition.imports;
    return {
      module: ServiceRootModule,
      imports: [
        ServiceConfigModule.register(config, keys),
        LoggerModule.forRoot(loggerParams(config)),
        AccessLogModule.register(config),
        TypeOrmModule.forRoot(serviceDataSourceOptions(config, definition.entities, definition.migrations)),
        RedisModule,
        AccessModule.register(config.rateLimits),
        HealthModule,
        ...(definition.ownHomePage ? [] : [ServiceHomeModule.register({ name: definition.name, title: definition.title, description: definition.description })]),
        ...(features ?? []),
      ],
      providers: [{ provide: APP_FILTER, useClass: FederationExceptionFilter }],
    };
  }
}
