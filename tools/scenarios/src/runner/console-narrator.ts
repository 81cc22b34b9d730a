import type { RunObserver } from './run-scenarios';
import type { Scenario, ScenarioResult, TraceEntry } from './scenario';

export interface NarratorOptions {
  write: (text: string) => void;
  /** trace: every step as it happens; summary: one line per scenario. */
  detail: 'trace' | 'summary';
  color: boolean;
}

const ACTOR_WIDTH = 16;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Prints the narrated trace: who did what, what each party saw, each check as it is made, and each verdict. */
export class ConsoleNarrator implements RunObserver {
  constructor(private readonly options: NarratorOptions) {}

  private paint(code: number, text: string): string {
    return this.options.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  }

  started(scenario: Scenario): void {
    if (this.options.detail !== 'trace') return;
    const title = `━━ ${scenario.name} `;
    this.options.write(`\n${this.paint(1, title.padEnd(78, '━'))}\n${this.paint(2, `claim: ${scenario.claim}`)}\n`);
  }

  traced(_scenario: Scenario, entry: TraceEntry): void {
    if (this.options.detail !== 'trace') return;
    this.options.write(`${this.line(entry)}\n`);
  }

  finished(result: ScenarioResult): void {
    const verdict = result.verdict === 'PASS' ? this.paint(32, 'PASS') : this.paint(31, 'FAIL');
    if (this.options.detail === 'trace') {
      const broken = result.evidence.filter((item) => item.kind === 'check' && !item.holds).length;
      const checks = result.evidence.filter((item) => item.kind === 'check').length;
      this.options.write(`${verdict} ${result.name} (${seconds(result.durationMs)}): ${checks - broken} of ${checks} checks hold\n`);
    } else {
      this.options.write(`  ${verdict}  ${result.name.padEnd(28)} ${seconds(result.durationMs).padStart(7)}${result.verdict === 'FAIL' ? `  ${firstProblem(result)}` : ''}\n`);
    }
  }

  summary(results: readonly ScenarioResult[], reports?: { json: string; markdown: string; html?: string }, notPlayed: readonly { name: string; reason: string }[] = []): void {
    const failed = results.filter((result) => result.verdict === 'FAIL');
    const lines = [
      '',
      this.paint(1, `Scenarios: ${results.length - failed.length} passed, ${failed.length} failed, ${results.length} in all`),
      ...(this.options.detail === 'trace'
        ? results.map((result) => `  ${result.verdict === 'PASS' ? this.paint(32, 'PASS') : this.paint(31, 'FAIL')}  ${result.name.padEnd(28)} ${seconds(result.durationMs).padStart(7)}${result.verdict === 'FAIL' ? `  ${firstProblem(result)}` : ''}`)
        : []),
      ...notPlayed.map((left) => `  ${this.paint(33, 'NOT PLAYED')}  ${left.name}: ${left.reason}`),
      ...(reports ? [`Reports: ${reports.json}, ${reports.markdown}`] : []),
      ...(reports?.html ? [`What each party saw (open in a browser): ${reports.html}`] : []),
    ];
    this.options.write(`${lines.join('\n')}\n`);
  }

  private line(entry: TraceEntry): string {
    if (entry.kind === 'check') return `  ${entry.holds ? this.paint(32, '✓') : this.paint(31, '✗')} ${entry.text}`;
    if (entry.kind === 'measurement') return `  ${this.paint(36, '•')} ${entry.text}`;
    return `  ${this.paint(33, `[${entry.actor}]`.padEnd(ACTOR_WIDTH + 2))} ${entry.text}`;
  }
}

/** The first broken check, or the error: why a scenario failed, in one line. */
export function firstProblem(result: ScenarioResult): string {
  if (result.error) return result.error;
  const broken = result.evidence.find((item) => item.kind === 'check' && !item.holds);
  return broken ? `${broken.statement}: ${broken.detail}` : 'no check was made';
}
