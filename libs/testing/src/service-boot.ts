import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describeAccessRule, RouteAudit, type ServiceDefinition } from '@myna/platform';
import { AGENCIES, SERVICES, type Service } from '@myna/protocol';
import { createTestDatabases, queryAs } from './test-databases';
import { startTestServiceApp } from './service-app';
import { removeTestRedisKeys } from './test-redis';

const byTimestamp = (a: string, b: string) => Number(a.match(/\d+$/)?.[0]) - Number(b.match(/\d+$/)?.[0]);

/**
 * The only routes anyone may call (DESIGN §9): health, the operators' token
 * endpoint, the card hotline, and the portal's sign-in and its pages that show
 * nothing personal. Every other route needs a principal its rule names. The
 * OpenAPI documents (/docs) are public too; they are not routes of the app.
 */
export const PUBLIC_ROUTES: readonly string[] = [
  'GET /health',
  'POST /oauth/token',
  'POST /cards/:serial/suspend',
  'GET /',
  'GET /login',
  'GET /login/card',
  'POST /login/challenge',
  'POST /login/start',
  'POST /login',
  'POST /logout',
  'GET /assets/portal.css',
  'GET /assets/noto-sans-jp.css',
  'GET /assets/login.js',
  'GET /assets/portal.js',
  'GET /assets/log-verify.js',
  'GET /assets/favicon.svg',
  'GET /assets/noto-sans-jp.woff2',
  'GET /favicon.ico',
];

/** Groups the README's table may name instead of one service. */
const README_GROUPS: Readonly<Record<string, readonly Service[]>> = {
  'every service': SERVICES,
  'each agency': AGENCIES,
};

/** The README's "Who may do what" table: `| service | METHOD /path | who |` rows, groups spelled out. */
function readmeAccessTable(): Map<string, string> {
  const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
  const rows = new Map<string, string>();
  for (const match of readme.matchAll(/^\| `([a-z- ]+)` \| `([A-Z]+ [^`]+)` \| ([^|]+) \|/gm)) {
    for (const service of README_GROUPS[match[1]] ?? [match[1]]) rows.set(`${service} ${match[2]}`, match[3].trim());
  }
  return rows;
}

/** A value for a path parameter that passes for the real thing, so that only the door decides. */
function sampleParameter(name: string): string {
  if (name === 'serial') return 'ABCDEF0123456789ABCD';
  return '5f0c0d1e-2a3b-4c5d-8e6f-7a8b9c0d1e2f';
}

/**
 * The checks every service must pass when booted for real against its own
 * freshly provisioned database and the machine's Redis.
 */
export function describeServiceBoot(definition: ServiceDefinition): void {
  describe(`${definition.name} boots as a service`, () => {
    let app: INestApplication | undefined;
    let databaseUrl = '';
    let drop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const provisioned = await createTestDatabases([definition.name]);
      drop = provisioned.drop;
      databaseUrl = provisioned.databases[definition.name].url;
      app = await startTestServiceApp(definition, databaseUrl);
    });

    afterAll(async () => {
      await app?.close();
      await drop?.();
      await removeTestRedisKeys();
    });

    it('reports its own database and Redis as up on /health', async () => {
      const response = await request(app!.getHttpServer()).get('/health').expect(200);
      expect(response.body).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' }, redis: { status: 'up' } },
      });
    });

    it('serves its OpenAPI description at /docs-json', async () => {
      const response = await request(app!.getHttpServer()).get('/docs-json').expect(200);
      expect(response.body.info.title).toBe(definition.title);
      expect(Object.keys(response.body.paths)).toContain('/health');
    });

    it('answers / with a page naming it and its links, or, the portal, by sending the browser on', async () => {
      const response = await request(app!.getHttpServer()).get('/');
      if (definition.ownHomePage) {
        expect(response.status).toBe(303);
        return;
      }
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*';/);
      for (const text of [definition.title, `<code>${definition.name}</code>`, 'href="/docs"', 'href="/docs-json"', 'href="/health"']) expect(response.text).toContain(text);
    });

    it('tells no cache to keep an answer, no browser to guess its type, and nobody its framework, refusals included', async () => {
      const server = () => request(app!.getHttpServer());
      const route = app!.get(RouteAudit).routes().find((candidate) => !candidate.rule?.public && candidate.method === 'GET');
      const answers = [
        await server().get('/health'),
        await server().get('/docs-json'),
        await server().get('/no-such-route'),
        await server().post('/health').set('content-type', 'application/json').send('{"unclosed'),
        ...(route ? [await server().get(route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => sampleParameter(name)))] : []),
      ];
      const seen = answers.map((response) => ({
        status: response.status,
        noStore: String(response.headers['cache-control']).split(',').map((directive) => directive.trim()).includes('no-store'),
        sniff: response.headers['x-content-type-options'],
        poweredBy: response.headers['x-powered-by'],
      }));
      expect(seen.map(({ status: _status, ...headers }) => headers)).toEqual(seen.map(() => ({ noStore: true, sniff: 'nosniff', poweredBy: undefined })));
      expect(seen.slice(0, 4).map(({ status }) => status)).toEqual([200, 200, 404, 400]);
      expect(seen.slice(4).every(({ status }) => [303, 401, 403].includes(status))).toBe(true);
    });

    it('serves requests without an AsyncLocalStorage or async hook, which on Node.js 20 would cost a hook call on every promise after', async () => {
      const hookPrototype = Object.getPrototypeOf(createHook({})) as { enable(): unknown };
      const turnedOn = [
        jest.spyOn(AsyncLocalStorage.prototype, 'run'),
        jest.spyOn(AsyncLocalStorage.prototype, 'enterWith'),
        jest.spyOn(hookPrototype, 'enable'),
      ];
      try {
        const server = () => request(app!.getHttpServer());
        await server().get('/health').expect(200);
        await server().get('/docs-json').expect(200);
        await server().get('/no-such-route').expect(404);
        await server().post('/health').set('content-type', 'application/json').send('{"unclosed').expect(400);
        expect(turnedOn.map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0]);
      } finally {
        for (const spy of turnedOn) spy.mockRestore();
      }
    });

    it('states who may call each of its routes, and opens only the listed ones to the public', () => {
      const routes = app!.get(RouteAudit).routes();
      expect(routes.length).toBeGreaterThan(1);
      expect(routes.filter((route) => route.rule === undefined).map((route) => `${route.method} ${route.path}`)).toEqual([]);
      const open = routes.filter((route) => route.rule?.public).map((route) => `${route.method} ${route.path}`);
      expect(open.filter((route) => !PUBLIC_ROUTES.includes(route))).toEqual([]);
      for (const route of routes.filter((candidate) => candidate.rule?.public)) expect(route.rule!.public!.length).toBeGreaterThan(10);
    });

    it('is listed, route by route, in the README’s “Who may do what” table', () => {
      const table = readmeAccessTable();
      const routes = app!.get(RouteAudit).routes();
      const wrong = routes
        .map((route) => ({ key: `${definition.name} ${route.method} ${route.path}`, rule: describeAccessRule(route.rule) }))
        .filter(({ key, rule }) => table.get(key) !== rule)
        .map(({ key, rule }) => `${key}: the README says ${table.get(key) ?? 'nothing'}, the code ${rule}`);
      expect(wrong).toEqual([]);
    });

    it('refuses every other route to a caller without credentials: 401, 403, or to sign-in for a citizen page', async () => {
      const routes = app!.get(RouteAudit).routes().filter((route) => !route.rule?.public);
      const answers: string[] = [];
      for (const route of routes) {
        const path = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => sampleParameter(name));
        const server = request(app!.getHttpServer());
        const response = route.method === 'GET' ? await server.get(path) : await server.post(path).send({});
        const refused = response.status === 401 || response.status === 403 || (response.status === 303 && response.headers.location === '/login');
        answers.push(`${route.method} ${route.path}: ${response.status}${refused ? '' : ' NOT REFUSED'}`);
      }
      expect(answers.filter((answer) => answer.endsWith('NOT REFUSED'))).toEqual([]);
      expect(answers.length).toBe(routes.length);
    });

    it('refuses every operation of its OpenAPI document to a caller without credentials, but the public ones', async () => {
      const docs = await request(app!.getHttpServer()).get('/docs-json').expect(200);
      const outcomes: string[] = [];
      for (const [template, operations] of Object.entries(docs.body.paths as Record<string, Record<string, unknown>>)) {
        for (const method of Object.keys(operations)) {
          const route = `${method.toUpperCase()} ${template.replace(/\{([A-Za-z]+)\}/g, ':$1')}`;
          const path = template.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => sampleParameter(name));
          const server = request(app!.getHttpServer());
          const response = method === 'get' ? await server.get(path) : await server.post(path).send({});
          if (PUBLIC_ROUTES.includes(route)) outcomes.push(`${route}: ${response.status < 500 ? 'public' : `public, but ${response.status}`}`);
          else outcomes.push(`${route}: ${response.status === 401 || response.status === 403 ? 'refused' : `answered ${response.status}`}`);
        }
      }
      expect(outcomes.filter((outcome) => !outcome.endsWith(': refused') && !outcome.endsWith(': public'))).toEqual([]);
      expect(outcomes.length).toBeGreaterThan(1);
    });

    it('has run every one of its migrations, and no synchronize', async () => {
      const rows = await queryAs<{ name: string }>(databaseUrl, 'SELECT name FROM migrations ORDER BY id');
      // TypeORM runs migrations in timestamp order, whatever the order of the list.
      const expected = definition.migrations.map((migration) => migration.name).sort(byTimestamp);
      expect(rows.map((row) => row.name)).toEqual(expected);
    });
  });
}
