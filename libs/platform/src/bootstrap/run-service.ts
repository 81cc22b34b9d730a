import { ConfigurationError, parseServiceConfig, type ServiceConfig } from '../config/service-config';
import type { ServiceDefinition } from '../platform.module';
import { createServiceApp, createWorkerContext } from './create-service-app';

/**
 * Entry point of every service: validate the environment first (one line and
 * exit 1 on a bad value), then build and start the Nest application.
 */
export function runService(definition: ServiceDefinition, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return start(definition, env, async (config) => {
    const app = await createServiceApp(definition, config);
    await app.listen(config.service.port, config.service.host);
  });
}

/** Entry point of a service's separate queue worker (`WORKERS=off` on its API processes). */
export function runWorker(definition: ServiceDefinition, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return start(definition, env, async (config) => {
    await createWorkerContext(definition, config);
  });
}

async function start(definition: ServiceDefinition, env: NodeJS.ProcessEnv, launch: (config: ServiceConfig) => Promise<void>) {
  const fail = (kind: string, message: string): never => {
    process.stderr.write(`${definition.name}: ${kind}: ${message}\n`);
    process.exit(1);
  };
  try {
    await launch(parseServiceConfig(definition.name, env));
  } catch (error) {
    if (error instanceof ConfigurationError) fail('configuration error', error.message);
    fail('failed to start', error instanceof Error ? error.message : String(error));
  }
}
