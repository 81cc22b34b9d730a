import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { SERVICE_CONFIG } from '../config/service-config.token';
import type { ServiceConfig } from '../config/service-config';
import { assertNoEviction } from './eviction-policy';

export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');

/** Creates an ioredis connection fit for BullMQ workers (no per-request retry limit). */
export function createRedisConnection(url: string, connectionName: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, connectionName, lazyConnect: false });
}

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CONNECTION) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Module({
  providers: [
    {
      provide: REDIS_CONNECTION,
      inject: [SERVICE_CONFIG],
      useFactory: async (config: ServiceConfig) => {
        const redis = createRedisConnection(config.redis.url, config.service.name);
        try {
          await assertNoEviction(redis);
        } catch (error) {
          redis.disconnect();
          throw error;
        }
        return redis;
      },
    },
    RedisLifecycle,
  ],
  exports: [REDIS_CONNECTION],
})
export class RedisModule {}
