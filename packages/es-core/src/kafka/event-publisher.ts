/** One message for the broker: the relay builds it from an event row's stored outbox envelope. */
export interface OutboundMessage {
  readonly topic: string;
  /** The aggregate id for events: equal keys go to one partition, which keeps an aggregate's events in order. */
  readonly key: string;
  readonly value: Buffer | string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The port through which services publish (docs/architecture.md). Per topic and key, messages are published in
 * the order given.
 *
 * Contract of `publish`:
 * - resolves only once the broker acknowledged every message (acks=all);
 * - rejects with a PermanentPublishError when some messages can never be published (`failures`);
 * - rejects with a TransientPublishError when it could not finish for now (broker down, timeout, …);
 * - on either error, every message of the batch is exactly one of: acknowledged, in `failures`, or in
 *   `remaining` (to publish next, in that order). Anything else thrown means nothing is known.
 */
export interface EventPublisher {
  publish(messages: readonly OutboundMessage[]): Promise<void>;
}
