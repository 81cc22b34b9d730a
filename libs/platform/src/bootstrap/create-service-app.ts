import 'reflect-metadata';
import { BadRequestException, type INestApplication, type INestApplicationContext, ValidationPipe, type ValidationError } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { loadServiceKeyRing, OPERATOR_ROLE_DESCRIPTIONS, OPERATOR_TOKEN_PATH, SERVICE_OPERATOR_ROLES, type ServiceKeyRing } from '@myna/protocol';
import { CITIZEN_SECURITY, OPERATOR_BEARER_SECURITY, OPERATOR_SECURITY, SERVICE_SECURITY } from '../auth/access-rule';
import { ConfigurationError, type ServiceConfig } from '../config/service-config';
import { installBodyParsers } from '../http/body-limits';
import { installResponseHeaders } from '../http/response-headers';
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
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  installResponseHeaders(app);
  installBodyParsers(app, definition.bulkRoutes ?? {});
  app.enableShutdownHooks();
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // A 400 names every failed constraint, in the body every error has.
      exceptionFactory: (errors) => new BadRequestException({ code: 'invalid-request', reason: flattenValidationErrors(errors).join('; ') }),
    }),
  );
  const document = SwaggerModule.createDocument(app, describeApi(definition, keys));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/** The OpenAPI document's header and its security schemes, so that "Authorize" in /docs works. */
function describeApi(definition: ServiceDefinition, keys: ServiceKeyRing | undefined) {
  const roles = SERVICE_OPERATOR_ROLES[definition.name];
  return new DocumentBuilder()
    .setTitle(definition.title)
    .setDescription(definition.description)
    .setVersion('0.1.0')
    .addOAuth2(
      {
        type: 'oauth2',
        description: `Operators of ${definition.name}: client credentials from the key ceremony (.data/keys/operators/<service>.<role>.json)`,
        flows: { clientCredentials: { tokenUrl: OPERATOR_TOKEN_PATH, scopes: Object.fromEntries(roles.map((role) => [role, OPERATOR_ROLE_DESCRIPTIONS[role]])) } },
      },
      OPERATOR_SECURITY,
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'an operator access token from POST /oauth/token' }, OPERATOR_BEARER_SECURITY)
    .addSecurity(SERVICE_SECURITY, {
      type: 'apiKey',
      in: 'header',
      name: 'Signature',
      description: `another service of the federation, by an RFC 9421 signature with its key${keys ? ` (this service verifies against its directory)` : ''}`,
    })
    .addSecurity(CITIZEN_SECURITY, { type: 'apiKey', in: 'cookie', name: 'myna-session', description: 'a citizen signed in with card and PIN' })
    .build();
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
