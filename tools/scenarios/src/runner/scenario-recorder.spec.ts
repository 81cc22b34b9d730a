import { ScenarioRecorder } from './scenario-recorder';
import type { TracedMessage } from './trace-format';

const message = (jobId: string, sentAt: number): TracedMessage => ({
  queue: 'exchange-hub.inbound',
  jobId,
  jobName: 'inquiry',
  from: 'pension-agency',
  to: 'exchange-hub',
  sentAt: new Date(sentAt).toISOString(),
  timeKind: 'sent',
  outcome: 'processed',
  refused: false,
  token: 'eyJ…',
  tokenLength: 700,
  keysHeld: [],
  layers: { kind: 'opaque', value: 'x' },
});

describe('the recorder', () => {
  it('places a message read off the queues afterwards at the time it was sent, and does not echo it to the console', () => {
    const echoed: string[] = [];
    const recorder = new ScenarioRecorder((entry) => echoed.push(entry.text));
    const start = recorder.startedAtMs;
    recorder.trace.push({ atMs: 10, kind: 'say', actor: 'pension-agency', text: 'asks' }, { atMs: 50, kind: 'say', actor: 'pension-agency', text: 'sees it answered' });
    recorder.message(message('late', start + 60), 'late message');
    recorder.message(message('early', start + 20), 'early message');
    expect(recorder.trace.map((entry) => [entry.kind, entry.atMs, entry.text])).toEqual([
      ['say', 10, 'asks'],
      ['message', 20, 'early message'],
      ['say', 50, 'sees it answered'],
      ['message', 60, 'late message'],
    ]);
    expect(recorder.trace[1]).toMatchObject({ actor: 'pension-agency', message: { jobId: 'early' } });
    expect(echoed).toEqual([]);
  });
});
