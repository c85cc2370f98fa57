import { DeadLetterHeader, ReplayHeader, type ConsumedMessage } from '@scylla-es/es-core/kafka';

/** A replay as the dlq-service publishes it: the original record back on its topic, with the replay headers. */
export function replayOf(letter: ConsumedMessage): { key: string; value: Buffer; headers: Record<string, string> } {
  const original = Object.fromEntries(Object.entries(letter.headers).filter(([name]) => !name.startsWith('dlq-')));
  return {
    key: letter.headers[DeadLetterHeader.originalKey] ?? '',
    value: letter.value ?? Buffer.alloc(0),
    headers: {
      ...original,
      [ReplayHeader.replayOf]: `projector:${letter.headers[DeadLetterHeader.eventId]}`,
      [ReplayHeader.replayedAt]: new Date().toISOString(),
    },
  };
}
