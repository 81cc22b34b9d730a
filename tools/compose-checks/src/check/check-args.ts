// Command line of `npm run compose:check`.

export const USAGE = `Usage: npm run compose:check [-- OPTIONS]

Boots docker-compose.yml for real: builds the base images from Debian's packages
and the federation's image from this machine's build, runs docker-compose up,
waits until every container is healthy, plays every scenario inside the
containers, asserts the README's isolation and the production settings, prints
the times and image sizes, then runs docker-compose down -v. Uses the running
Docker engine, or (as root) starts Debian's dockerd for the run and removes it and
everything it made afterwards, on success, failure or interrupt.

Options:
  --images               only build the stand-in base images and the federation's
                         image into the running engine (tagged myna-exchange:local),
                         and print how to run docker compose on them
  --rebuild-stand-ins    remake the base images from Debian's packages, ignoring
                         the cached root file systems
  --scenario NAME        play only this scenario (repeatable); default: every one
  -h, --help             this text`;

export interface CheckOptions {
  help: boolean;
  imagesOnly: boolean;
  rebuildStandIns: boolean;
  scenarios: string[];
}

export function parseCheckArgs(argv: readonly string[]): { ok: true; options: CheckOptions } | { ok: false; error: string } {
  const options: CheckOptions = { help: false, imagesOnly: false, rebuildStandIns: false, scenarios: [] };
  for (let at = 0; at < argv.length; at += 1) {
    const arg = argv[at];
    if (arg === '-h' || arg === '--help') options.help = true;
    else if (arg === '--images') options.imagesOnly = true;
    else if (arg === '--rebuild-stand-ins') options.rebuildStandIns = true;
    else if (arg === '--scenario') {
      const name = argv[at + 1];
      if (!name || name.startsWith('-')) return { ok: false, error: '--scenario needs a scenario name' };
      options.scenarios.push(name);
      at += 1;
    } else return { ok: false, error: `unknown argument: ${arg}` };
  }
  return { ok: true, options };
}
