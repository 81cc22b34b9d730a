// A stand-in for a compiled service, for the launcher's end-to-end tests: it keeps
// the apps' contract (PORT, DATABASE_URL, REDIS_URL, CODE_ISSUER_URL, pino lines,
// GET /health, SIGTERM) without building the real apps. A stub other than
// code-issuer is healthy only once this run's code-issuer answers at CODE_ISSUER_URL; the card reader (card-reader)
// stands in for tools/card-reader. Knobs: STUB_CRASH=<service> exits at once,
// STUB_UNHEALTHY=<service> answers 503, GET /die exits with code 7.
const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { Client } = require('pg');
const Redis = require('ioredis');

const service = path.basename(path.dirname(path.dirname(process.argv[1])));
const log = (level, msg, extra = {}) =>
  process.stdout.write(`${JSON.stringify({ level, time: Date.now(), pid: process.pid, hostname: 'stub', msg, ...extra })}\n`);

if (process.env.STUB_CRASH === service) {
  process.stderr.write(`Error: ${service} refuses to start (STUB_CRASH)\n`);
  process.exit(3);
}

// A grandchild that ignores SIGTERM, marked with this file's path: only killing the
// whole process group gets rid of it.
spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)", process.argv[1]], { stdio: 'ignore' });

const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1 });
redis.on('error', () => undefined);

async function healthy() {
  if (process.env.STUB_UNHEALTHY === service) return false;
  // The card reader has no database: it holds cards, and signs in to the portal it is told of.
  if (service === 'card-reader') return Boolean(process.env.CARD_STORE_DIR && process.env.READER_RELYING_PARTIES);
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  try {
    await client.connect();
    await client.query('select 1');
    if ((await redis.ping()) !== 'PONG') return false;
    return service === 'code-issuer' || (await issuerAnswers());
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function issuerAnswers() {
  try {
    const response = await fetch(`${process.env.CODE_ISSUER_URL}/health`, { signal: AbortSignal.timeout(2000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

const server = http.createServer(async (req, res) => {
  if (req.url === '/health') {
    res.writeHead((await healthy()) ? 200 : 503).end();
    log(30, 'request completed', { req: { method: 'GET', url: '/health' }, res: { statusCode: res.statusCode } });
  } else if (req.url === '/die') {
    res.end();
    log(60, 'told to die', { err: { type: 'Error', message: 'stub death', stack: 'Error: stub death\n    at /die' } });
    process.exit(7);
  } else {
    res.writeHead(404).end();
  }
});
server.listen(Number(process.env.PORT), () => log(30, `listening on ${process.env.PORT}`, { context: 'Stub', keysDir: process.env.KEYS_DIR }));

process.on('SIGTERM', () => {
  log(30, 'stopping');
  server.close();
  redis.disconnect();
  process.exit(0);
});
