import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { installBodyParsers, installResponseHeaders } from '@myna/platform';
import { ReaderModule } from './reader.module';
import { parseReaderSettings, ReaderSettingsError, type ReaderSettings } from './reader-settings';

/** Builds the reader's application (not yet listening): used by main and by tests. */
export async function createReaderApp(settings: ReaderSettings, logger: false | ('error' | 'warn' | 'log')[] = ['error', 'warn', 'log']): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ReaderModule.register(settings), { bodyParser: false, logger });
  installResponseHeaders(app);
  installBodyParsers(app, {});
  app.enableShutdownHooks();
  return app;
}

async function main(): Promise<void> {
  let settings: ReaderSettings;
  try {
    settings = parseReaderSettings(process.env);
  } catch (error) {
    if (error instanceof ReaderSettingsError) {
      process.stderr.write(`card-reader: configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createReaderApp(settings);
  await app.listen(settings.port, settings.host);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`card-reader: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
