import { OperatorClient } from '@myna/operator-client';
import { AGENCIES, type FederationFile } from '@myna/protocol';
import { FederationClient, ServiceProtocolError, ServiceUnavailableError, type RetryPolicies } from './federation-client';
import { formatCount, formatSummary, ProgressReporter } from './progress';
import { parseSeedArgs, SEEDED_SERVICES, SeedArgsError, USAGE, type SeedOptions } from './seed-args';
import { emptyTally, refusals, resumeStart, runSeed } from './seed-run';
import { SyntheticPopulation } from './synthetic-population';

export interface SeedCommandIo {
  /** The result: the summary line, or the usage. */
  out(line: string): void;
  /** Progress, refusals and errors. */
  err(line: string): void;
  /** True once the user asked to stop (Ctrl-C): batches in flight finish, no new ones start. */
  stopRequested?(): boolean;
  retry?: RetryPolicies;
  progressIntervalMs?: number;
  /** A terminal to draw a progress bar on; without one, progress is a plain line every `progressIntervalMs`. */
  tty?: NodeJS.WritableStream;
}

/** Exit codes: 0 done, 1 a service failed or refused someone, 2 a bad command line. */
/** `federation`: the demo running on this machine (libs/protocol runningDemo), if any. */
export async function runSeedCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: SeedCommandIo, federation?: FederationFile): Promise<number> {
  let options: SeedOptions;
  try {
    const command = parseSeedArgs(argv, env, federation);
    if (command.help) {
      io.out(USAGE);
      return 0;
    }
    options = command.options;
  } catch (error) {
    if (error instanceof SeedArgsError) {
      io.err(`seed: ${error.message} (see --help)`);
      return 2;
    }
    throw error;
  }

  const operators = new OperatorClient({ credentialsDir: options.credentialsDir, urls: options.urls });
  const client = new FederationClient(options.urls, (service, role) => operators.token(service, role), io.retry);
  // The counts double as a preflight: every service that is down is named before any work starts.
  const counts = await Promise.allSettled([client.citizenCount(), ...AGENCIES.map((agency) => client.personCount(agency))]);
  const failures = counts.flatMap((count) => (count.status === 'rejected' ? [count.reason as unknown] : []));
  if (failures.length > 0) return reportFailures(failures, io);
  const [registerCount, ...persons] = counts.map((count) => (count.status === 'fulfilled' ? count.value : 0));
  io.err(
    `seed: ${SEEDED_SERVICES.map((service) => `${service} ${options.urls[service]}`).join(', ')}; ` +
      `register holds ${formatCount(registerCount)}, ${AGENCIES.map((agency, i) => `${agency} ${formatCount(persons[i])}`).join(', ')}`,
  );

  const startAt = options.resume ? resumeStart(registerCount, options) : 0;
  if (startAt >= options.citizens) {
    io.out(`seed: nothing to do: the register already holds ${formatCount(registerCount)} citizens, at least the ${formatCount(options.citizens)} asked for`);
    return 0;
  }
  io.err(
    `seed: citizens #${formatCount(startAt)}–#${formatCount(options.citizens - 1)} of seed '${options.seed}', ` +
      `contact data ${options.contactData ? 'kept by the agencies' : 'not kept (data minimization)'}, ` +
      `batches of ${formatCount(options.batchSize)} × ${options.concurrency} in flight, ${formatCount(options.agencyBatchSize)} people per enrolment request`,
  );

  const tally = emptyTally();
  const reporter = new ProgressReporter(tally, options.citizens - startAt, io.err, io.progressIntervalMs, io.tty);
  reporter.start();
  let failure: unknown;
  try {
    await runSeed(new SyntheticPopulation(options.seed), client, options, startAt, {
      onRefusal: (service, index, reason) => reporter.refusal(service, index, reason),
      shouldStop: io.stopRequested,
    }, tally);
  } catch (error) {
    failure = error;
  } finally {
    reporter.stop();
  }
  const interrupted = failure !== undefined || tally.done < options.citizens - startAt;
  io.out(formatSummary(tally, reporter.elapsedMs(), interrupted));
  if (interrupted) io.err('seed: re-run the same command to finish: citizens already seeded are recognised and skipped (add --resume to skip them faster)');
  if (failure !== undefined) return reportFailures([failure], io);
  if (refusals(tally) > 0) {
    io.err(`seed: ${formatCount(refusals(tally))} refusals (first reasons above): the population is incomplete`);
    return 1;
  }
  return interrupted ? 1 : 0;
}

/** Names each failed service once, and says once what to do about unreachable ones. */
function reportFailures(errors: unknown[], io: SeedCommandIo): number {
  const unavailable = errors.filter((error) => error instanceof ServiceUnavailableError);
  for (const error of errors) {
    if (error instanceof ServiceUnavailableError) io.err(`seed: ${error.service} at ${error.url}: ${error.detail}`);
    else if (error instanceof ServiceProtocolError) io.err(`seed: ${error.message}`);
    else throw error;
  }
  if (unavailable.length > 0) io.err(`seed: ${unavailable[0].hint}`);
  return 1;
}

