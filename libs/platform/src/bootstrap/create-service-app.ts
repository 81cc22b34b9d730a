import 'reflect-metadata';
import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { ServiceConfig } from '../config/service-config';
import { ServiceRootModule, type ServiceDefinition } from '../platform.module';

/** Builds (but does not start listening) a service's Nest application: used by main.ts and by e2e tests. */
export async function createServiceApp(
  definition: ServiceDefinition,
  config: ServiceConfig,
): Promise<INestApplication> {
  const app = await NestFactory.create(ServiceRootModule.forService(definition, config), {
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
