import { CircuitState } from '../core/resilience/circuit-breaker';
import { DeadLetterPublishError, type DeadLetter, type DeadLetterSink } from './dead-letter';
import type { EventPublisher, OutboundMessage } from './event-publisher';
import { MessageTooLargeError, PermanentPublishError, TransientPublishError } from './publish-errors';
import { ResilientPublisher, type PublishObserver } from './resilient-publisher';

const message = (key: string): OutboundMessage => ({ topic: 'orders.events', key, value: key, headers: {} });
const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(message) as [OutboundMessage, OutboundMessage, OutboundMessage, OutboundMessage];

/** A publisher that answers each call with the next scripted outcome (then succeeds), recording what it got. */
function scriptedPublisher(...outcomes: ((batch: readonly OutboundMessage[]) => Error | undefined)[]) {
  const calls: (readonly OutboundMessage[])[] = [];
  const publisher: EventPublisher = {
    publish: async (batch) => {
      calls.push(batch);
      const failure = outcomes.shift()?.(batch);
      if (failure) throw failure;
    },
  };
  return { publisher, calls };
}

function harness(publisher: EventPublisher, deadLetters?: DeadLetterSink) {
  let now = 0;
  const sent: DeadLetter[] = [];
  const sink: DeadLetterSink = deadLetters ?? { send: async (letters) => void sent.push(...letters) };
  const events: string[] = [];
  const observer: PublishObserver = {
    onPublished: (count) => void events.push(`published ${count}`),
    onRetry: (attempt) => void events.push(`retry ${attempt}`),
    onDeadLettered: (dead) => void events.push(`dead-lettered ${dead.key}`),
    onCircuitStateChange: (state) => void events.push(`circuit ${state}`),
  };
  const controller = new AbortController();
  const waits: number[] = [];
  const resilient = new ResilientPublisher({
    publisher,
    deadLetters: sink,
    signal: controller.signal,
    observer,
    backoff: { initialDelayMs: 100, maxDelayMs: 1_000, random: () => 0 },
    circuitBreaker: { failureThreshold: 3, cooldownMs: 5_000, now: () => now },
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  });
  return { resilient, sent, events, waits, controller };
}

const down = (batch: readonly OutboundMessage[]) => new TransientPublishError(new Error('ECONNREFUSED'), batch);

describe('ResilientPublisher', () => {
  it('retries an outage with backoff, opens the circuit, probes, and dead-letters nothing', async () => {
    const { publisher, calls } = scriptedPublisher(down, down, down, down);
    const { resilient, sent, events, waits } = harness(publisher);
    await resilient.publish([a, b]);

    expect(sent).toEqual([]);
    expect(calls).toHaveLength(5);
    expect(calls.every((batch) => batch.length === 2)).toBe(true);
    // Three failures open the circuit; the wait then lasts until it half-opens; the failed trial re-opens it.
    expect(waits).toEqual([100, 100, 5_000, 5_000]);
    expect(events).toEqual([
      'retry 1',
      'retry 2',
      `circuit ${CircuitState.Open}`,
      'retry 3',
      `circuit ${CircuitState.HalfOpen}`,
      `circuit ${CircuitState.Open}`,
      'retry 4',
      `circuit ${CircuitState.HalfOpen}`,
      `circuit ${CircuitState.Closed}`,
      'published 2',
    ]);
    expect(resilient.circuitState).toBe(CircuitState.Closed);
  });

  it('resends only what was not acknowledged', async () => {
    const { publisher, calls } = scriptedPublisher(() => new TransientPublishError(new Error('timeout'), [c, d]));
    const { resilient, events } = harness(publisher);
    await resilient.publish([a, b, c, d]);
    expect(calls).toEqual([[a, b, c, d], [c, d]]);
    expect(events).toEqual(['published 2', 'retry 1', 'published 2']);
  });

  it('dead-letters a message that can never be published and carries on with the rest', async () => {
    const tooLarge = new MessageTooLargeError(2_000_000, 1_000_000);
    const { publisher, calls } = scriptedPublisher(
      down,
      () => new PermanentPublishError([{ message: b, error: tooLarge }], [d], new Error('leader moved')),
    );
    const { resilient, sent, events } = harness(publisher);
    await resilient.publish([a, b, c, d]);

    expect(sent).toEqual([{ message: b, error: tooLarge, attempts: 2 }]);
    expect(calls).toEqual([[a, b, c, d], [a, b, c, d], [d]]);
    expect(events).toEqual(['retry 1', 'published 2', 'dead-lettered b', 'retry 2', 'published 1']);
  });

  it('does not count a permanent failure against the circuit: the broker answered', async () => {
    const permanent = (batch: readonly OutboundMessage[]) =>
      new PermanentPublishError(batch.map((failed) => ({ message: failed, error: new Error('rejected') })));
    const { publisher } = scriptedPublisher(permanent, permanent, permanent, permanent);
    const { resilient, sent } = harness(publisher);
    for (const each of [a, b, c, d]) await resilient.publish([each]);
    expect(sent.map((letter) => letter.message)).toEqual([a, b, c, d]);
    expect(resilient.circuitState).toBe(CircuitState.Closed);
  });

  it('throws when the dead letter cannot be published either, without retrying', async () => {
    const { publisher, calls } = scriptedPublisher(() => new PermanentPublishError([{ message: a, error: new Error('rejected') }], [b]));
    const failure = new DeadLetterPublishError([], new Error('dead-letter topic refused it'));
    const { resilient, events } = harness(publisher, { send: () => Promise.reject(failure) });
    await expect(resilient.publish([a, b])).rejects.toBe(failure);
    expect(calls).toHaveLength(1);
    expect(events).toEqual([]);
  });

  it('treats an unknown error as transient', async () => {
    const { publisher, calls } = scriptedPublisher(() => new TypeError('unexpected'));
    const { resilient, sent } = harness(publisher);
    await resilient.publish([a]);
    expect(calls).toHaveLength(2);
    expect(sent).toEqual([]);
  });

  it('stops retrying when the signal is aborted, with its reason', async () => {
    const shutdown = new Error('SIGTERM');
    const { publisher } = scriptedPublisher(...Array.from({ length: 100 }, () => down));
    const { resilient, controller, waits } = harness(publisher);
    const publishing = resilient.publish([a]);
    // Abort from inside the fifth wait, as a shutdown arriving during an outage would.
    const original = waits.push.bind(waits);
    waits.push = (...items: number[]) => {
      if (waits.length === 4) controller.abort(shutdown);
      return original(...items);
    };
    await expect(publishing).rejects.toBe(shutdown);
  });

  it('does nothing for an empty batch', async () => {
    const { publisher, calls } = scriptedPublisher();
    await harness(publisher).resilient.publish([]);
    expect(calls).toEqual([]);
  });
});
