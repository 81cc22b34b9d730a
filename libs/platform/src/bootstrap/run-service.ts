import { ConfigurationError, parseServiceConfig, type ServiceConfig } from '../config/service-config';
import type { ServiceDefinition } from '../platform.module';
import { createServiceApp } from './create-service-app';

/**
 * Entry point of every service: validate the environment first (one line and
 * exit 1 on a bad value), then build and start the Nest application.
 */
export async function runService(definition: ServiceDefinition, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: ServiceConfig;
  try {
    config = parseServiceConfig(definition.name, env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${definition.name}: configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  try {
    const app = await createServiceApp(definition, config);
    await app.listen(config.service.port, config.service.host);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${definition.name}: configuration error: ${error.message}\n`);
      process.exit(1);
    }
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${definition.name}: failed to start: ${reason}\n`);
    process.exit(1);
  }
}
