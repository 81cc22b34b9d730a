// `npm run soak -- …`: the arguments, validated before anything starts.

export type SoakDatabaseMode = 'postgres' | 'embedded';

export interface SoakOptions {
  exchanges: number;
  /** Inquiries started per second, steadily. */
  rate: number;
  /** Faults injected while the exchanges run. */
  faults: number;
  /** Mean seconds between faults (the schedule draws each gap from 0.5× to 1.5× of it). */
  faultIntervalSeconds: number;
  seed: number;
  databases: SoakDatabaseMode;
  /** First of the ports the soak may use (services, Redis, PostgreSQL). */
  portBase: number;
  /** Citizens enrolled at every agency. */
  people: number;
  /** Seconds allowed, after the last inquiry, for every exchange to settle. */
  settleSeconds: number;
  json?: string;
  keep: boolean;
  help: boolean;
}

export class SoakArgsError extends Error {
  override readonly name = 'SoakArgsError';
}

export const USAGE = `Usage: npm run soak -- [options]

Starts a federation of its own (a private PostgreSQL cluster or embedded
databases, a private redis-server), drives exchanges of every rule of the legal
table, permitted and denied, at a steady rate, and meanwhile SIGKILLs service and
worker processes and restarts Redis and the databases on a seeded schedule. Then it
checks every exchange at the requester, the hub, the provider and the portal.

  --exchanges N         inquiries to start (default 1000)
  --rate R              inquiries per second (default 10)
  --faults N            faults to inject (default: one per fault interval of the drive)
  --fault-interval S    mean seconds between faults (default 10)
  --seed N              the fault schedule's and the drive's seed (default 1)
  --databases MODE      postgres (a private cluster from /usr/lib/postgresql) or embedded (PGlite) (default postgres)
  --port-base P         first port of the 20 the soak uses (default 5400)
  --people N            citizens enrolled at every agency (default 200)
  --settle S            seconds allowed after the drive for everything to settle (default 600)
  --json FILE           also write the report as JSON
  --keep                keep the temporary directory (logs, databases) afterwards
  --help                this text
Exit code: 0 when nothing is lost, duplicated or stuck; 1 otherwise; 2 on bad arguments.`;

const integer = (flag: string, raw: string | undefined, min: number, max: number): number => {
  if (raw === undefined || !/^\d+$/.test(raw)) throw new SoakArgsError(`${flag} needs a whole number`);
  const value = Number(raw);
  if (value < min || value > max) throw new SoakArgsError(`${flag} must be between ${min} and ${max}`);
  return value;
};

const decimal = (flag: string, raw: string | undefined, min: number, max: number): number => {
  if (raw === undefined || !/^\d+(\.\d+)?$/.test(raw)) throw new SoakArgsError(`${flag} needs a number`);
  const value = Number(raw);
  if (value < min || value > max) throw new SoakArgsError(`${flag} must be between ${min} and ${max}`);
  return value;
};

export function parseSoakArgs(argv: readonly string[]): SoakOptions {
  const options: SoakOptions = {
    exchanges: 1000,
    rate: 10,
    faults: -1,
    faultIntervalSeconds: 10,
    seed: 1,
    databases: 'postgres',
    portBase: 5400,
    people: 200,
    settleSeconds: 600,
    keep: false,
    help: false,
  };
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = argv[index].startsWith('--') && argv[index].includes('=') ? argv[index].split(/=(.*)/s, 2) : [argv[index], undefined];
    const value = () => inline ?? argv[++index];
    switch (flag) {
      case '--exchanges': options.exchanges = integer(flag, value(), 1, 1_000_000); break;
      case '--rate': options.rate = decimal(flag, value(), 0.1, 1000); break;
      case '--faults': options.faults = integer(flag, value(), 0, 10_000); break;
      case '--fault-interval': options.faultIntervalSeconds = decimal(flag, value(), 1, 3600); break;
      case '--seed': options.seed = integer(flag, value(), 0, 2 ** 32 - 1); break;
      case '--port-base': options.portBase = integer(flag, value(), 1024, 65535 - 20); break;
      case '--people': options.people = integer(flag, value(), 1, 100_000); break;
      case '--settle': options.settleSeconds = integer(flag, value(), 10, 86_400); break;
      case '--databases': {
        const mode = value();
        if (mode !== 'postgres' && mode !== 'embedded') throw new SoakArgsError('--databases is postgres or embedded');
        options.databases = mode;
        break;
      }
      case '--json': {
        const file = value();
        if (!file || file.startsWith('--')) throw new SoakArgsError('--json needs a file name');
        options.json = file;
        break;
      }
      case '--keep': options.keep = true; break;
      case '--help': case '-h': options.help = true; break;
      default: throw new SoakArgsError(`unknown argument ${argv[index]}`);
    }
  }
  if (options.faults < 0) options.faults = Math.floor(options.exchanges / options.rate / options.faultIntervalSeconds);
  return options;
}
