import 'reflect-metadata';
import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
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
  const app = await NestFactory.create(ServiceRootModule.forService(definition, config, keys), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(definition.title).setDescription(definition.description).setVersion('0.1.0').build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/** A service that signs or decrypts loads its own key file once; it cannot start without it. */
async function loadKeysFor(definition: ServiceDefinition, config: ServiceConfig): Promise<ServiceKeyRing | undefined> {
  if (!definition.usesKeys) return undefined;
  if (!config.keys.dir) throw new ConfigurationError('KEYS_DIR', 'is required (the folder holding this service\'s key file; run npm run keys)');
  try {
    return await loadServiceKeyRing(config.keys.dir, definition.name);
  } catch (error) {
    throw new ConfigurationError('KEYS_DIR', `is unusable: ${error instanceof Error ? error.message : 'unreadable key file'}`);
  }
}
