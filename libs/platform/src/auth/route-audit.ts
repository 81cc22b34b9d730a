import { Inject, Injectable, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_RULE, type AccessRule } from './access-rule';

/** One route and who may call it. */
export interface RouteAccess {
  method: string;
  path: string;
  rule: AccessRule | undefined;
}

/**
 * Every route a service serves, with its access rule, found the way Nest finds
 * them. The route tests and the README's "who may do what" table read it.
 */
@Injectable()
export class RouteAudit {
  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  routes(): RouteAccess[] {
    const routes: RouteAccess[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype) continue;
      const prefixes = asList(Reflect.getMetadata(PATH_METADATA, metatype));
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as object;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [handler as never, metatype]);
        for (const prefix of prefixes) {
          for (const path of asList(paths)) routes.push({ method, path: join(prefix, path), rule });
        }
      }
    }
    return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [''] : Array.isArray(value) ? value : [value];
}

function join(prefix: string, path: string): string {
  const joined = `/${[prefix, path].map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
  return joined;
}

/** A rule in the words of the README's "who may do what" table. */
export function describeAccessRule(rule: AccessRule | undefined): string {
  if (!rule) return 'nobody (no rule)';
  if (rule.public) return 'anyone';
  const who = [
    ...(rule.roles?.length ? [`operator: ${rule.roles.join(', ')}`] : []),
    ...(rule.services?.length ? [`service: ${rule.services.join(', ')}`] : []),
    ...(rule.citizen ? ['citizen (signed in)'] : []),
  ];
  return who.join('; ');
}
