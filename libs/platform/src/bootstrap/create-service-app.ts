import 'reflect-metadata';
import { BadRequestException, type INestApplication, type INestApplicationContext, ValidationPipe, type ValidationError } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { loadServiceKeyRing, type ServiceKeyRing } from '@myna/protocol';
import { ConfigurationError, type ServiceConfig } from '../config/service-config';
import { ServiceRootModule, type ServiceDefinition } from '../platform.module';

/** Builds (but does not start listening) a service's Nest application: used by main.ts and by e2e tests. */
export async function createServiceApp(
  definition: ServiceDefinition,
  config: ServiceConfig,
): Promise<INestApplication> {
  const keys = await loadKeysFor(definition, config);
  const runtime = { config, consume: config.workers.mode === 'inline' };
  const app = await NestFactory.create<NestExpressApplication>(ServiceRootModule.forService(definition, runtime, keys), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  // Batches of 1,000 sealed enrolments run to a few megabytes.
  app.useBodyParser('json', { limit: '8mb' });
  app.enableShutdownHooks();
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // Every 4xx carries a machine-readable reason, as the services' own errors do.
      exceptionFactory: (errors) =>
        new BadRequestException({ statusCode: 400, error: 'Bad Request', reason: 'invalid-request', message: flattenValidationErrors(errors) }),
    }),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(definition.title).setDescription(definition.description).setVersion('0.1.0').build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/** Builds a worker process: the service's modules and queue consumer, without HTTP. */
export async function createWorkerContext(definition: ServiceDefinition, config: ServiceConfig): Promise<INestApplicationContext> {
  const keys = await loadKeysFor(definition, config);
  const context = await NestFactory.createApplicationContext(
    ServiceRootModule.forService(definition, { config, consume: true }, keys),
    { bufferLogs: true, abortOnError: false },
  );
  context.useLogger(context.get(Logger));
  context.enableShutdownHooks();
  return context;
}

/** A service that signs or decrypts loads its own key file once; it cannot start without it. */
export async function loadKeysFor(definition: ServiceDefinition, config: ServiceConfig): Promise<ServiceKeyRing | undefined> {
  if (!definition.usesKeys) return undefined;
  if (!config.keys.dir) throw new ConfigurationError('KEYS_DIR', 'is required (the folder holding this service\'s key file; run npm run keys)');
  try {
    return await loadServiceKeyRing(config.keys.dir, definition.name);
  } catch (error) {
    throw new ConfigurationError('KEYS_DIR', `is unusable: ${error instanceof Error ? error.message : 'unreadable key file'}`);
  }
}

/** Nest's own message shape (`persons.0.myNumber must be 12 digits`), one line per failed constraint. */
export function flattenValidationErrors(errors: ValidationError[], parentPath = ''): string[] {
  return errors.flatMap((error) => {
    const own = Object.values(error.constraints ?? {}).map((message) => (parentPath ? `${parentPath}.${message}` : message));
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}
