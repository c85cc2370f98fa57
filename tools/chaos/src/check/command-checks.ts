import type { CommandRecord } from '../load/ledger';
import { checkResult, type CheckResult } from './check-result';
import type { StoredStream } from './stored-streams';

interface StoredCommandEvent {
  readonly aggregateId: string;
  readonly sequence: number;
}

/** Every stored event by the command id it carries (the command's Idempotency-Key). */
function eventsByCommand(streams: Iterable<StoredStream>): Map<string, StoredCommandEvent[]> {
  const byCommand = new Map<string, StoredCommandEvent[]>();
  for (const stream of streams) {
    for (const event of stream.events) {
      const key = event.metadata.commandId ?? '(none)';
      byCommand.set(key, [...(byCommand.get(key) ?? []), { aggregateId: stream.aggregateId, sequence: event.sequence }]);
    }
  }
  return byCommand;
}

/**
 * What the command-service answered against what event_store holds. Every command of the storm decides exactly
 * one event when accepted (none sends a no-op), so: an acknowledged command has exactly one event, at the version
 * it was answered with; a refused one has none; one never settled has at most one; and no stored event comes
 * from a command nobody sent.
 */
export function commandChecks(commands: readonly CommandRecord[], streams: ReadonlyMap<string, StoredStream>): CheckResult[] {
  const stored = eventsByCommand(streams.values());
  const acknowledged: string[] = [];
  const refused: string[] = [];
  let unsettledApplied = 0;
  let storedMoreThanOnce = 0;
  let settledAfterTimeout = 0;
  for (const command of commands) {
    const events = stored.get(command.key) ?? [];
    const where = events.map((event) => `${event.aggregateId}#${event.sequence}`).join(', ');
    const final = command.final ?? { kind: 'unresolved' as const };
    if (events.length > 1) storedMoreThanOnce += 1;
    if (final.kind === 'acknowledged') {
      if (command.attempts.some((attempt) => attempt.kind === 'timed-out')) settledAfterTimeout += 1;
      const [event] = events;
      if (events.length === 0) acknowledged.push(`${command.key} (${command.name} on ${command.aggregateId}): acknowledged at version ${final.version}, no event stored`);
      else if (events.length > 1) acknowledged.push(`${command.key} (${command.name}): stored ${events.length} times: ${where}`);
      else if (event && (event.aggregateId !== command.aggregateId || event.sequence !== final.version)) {
        acknowledged.push(`${command.key} (${command.name}): acknowledged as ${command.aggregateId}#${final.version}, stored as ${where}`);
      }
    } else if (final.kind === 'rejected') {
      if (events.length > 0) refused.push(`${command.key} (${command.name}): refused with ${final.status} ${final.problem}, yet stored: ${where}`);
    } else {
      if (events.length > 1) refused.push(`${command.key} (${command.name}): never settled, stored ${events.length} times: ${where}`);
      if (events.length === 1) unsettledApplied += 1;
    }
  }
  const sent = new Set(commands.map((command) => command.key));
  const phantoms = [...stored].filter(([key]) => !sent.has(key)).map(([key, events]) => `events of unknown command ${key}: ${events.map((e) => `${e.aggregateId}#${e.sequence}`).join(', ')}`);
  return [
    checkResult('acknowledged commands stored exactly once', acknowledged, {
      'acknowledged after a lost answer (same key)': settledAfterTimeout,
      'commands stored more than once': storedMoreThanOnce,
    }),
    checkResult('refused and unsettled commands left no partial write', [...refused, ...phantoms], { 'unsettled commands found applied': unsettledApplied }),
    streamChecks(streams),
  ];
}

/** Each aggregate's events are numbered 1..n without a gap, and its static head version is n. */
function streamChecks(streams: ReadonlyMap<string, StoredStream>): CheckResult {
  const violations: string[] = [];
  let events = 0;
  for (const stream of streams.values()) {
    events += stream.events.length;
    const sequences = stream.events.map((event) => event.sequence);
    if (sequences.some((sequence, index) => sequence !== index + 1)) violations.push(`${stream.aggregateId}: sequences ${JSON.stringify(sequences)}`);
    if (stream.version !== sequences.length) violations.push(`${stream.aggregateId}: head version ${stream.version}, ${sequences.length} events`);
  }
  return checkResult('event_store sequences contiguous', violations, { aggregates: streams.size, events });
}
