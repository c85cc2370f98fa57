import type { Generation } from './cdc-ports';
import type { GroupPositions } from './group-positions';

/** The generation being read and the one after it, whose start ends it. */
export interface GenerationInProgress {
  readonly generation: Generation;
  readonly next: Generation | undefined;
}

/**
 * The oldest generation that still has a group short of its end, starting where this consumer started
 * (`firstRelevantGeneration`). A generation ends one millisecond before the next begins; the next is read only
 * once EVERY group of the old one reached that end, whichever instance read it, so no change of the old
 * generation can be read after one of the new.
 */
export function generationInProgress(
  generations: readonly Generation[],
  positions: GroupPositions,
  start: { readonly now: number; readonly lookbackMs: number },
): GenerationInProgress | undefined {
  if (generations.length === 0) return undefined;
  let index = firstRelevantGeneration(generations, positions, start.now - start.lookbackMs);
  while (index < generations.length - 1) {
    const generation = generations[index] as Generation;
    const end = (generations[index + 1] as Generation).time.getTime() - 1;
    const done = generation.groups.every((group) => (positions.of(generation, group)?.getTime() ?? -Infinity) >= end);
    if (!done) break;
    index++;
  }
  return { generation: generations[index] as Generation, next: generations[index + 1] };
}

/** With checkpoints: the oldest generation that has one. Without: the generation holding `startAt`. */
function firstRelevantGeneration(generations: readonly Generation[], positions: GroupPositions, startAt: number): number {
  const checkpointed = generations.findIndex((generation) => generation.groups.some((group) => positions.of(generation, group)));
  if (checkpointed >= 0) return checkpointed;
  const containing = generations.findLastIndex((generation) => generation.time.getTime() <= startAt);
  return Math.max(0, containing);
}

/**
 * Where a group without a checkpoint starts: its generation's first instant, or, for a consumer that has no
 * checkpoint at all yet, now − look-back if that is later.
 */
export function startOfGroup(generation: Generation, positions: GroupPositions, start: { readonly now: number; readonly lookbackMs: number }): Date {
  const generationStart = generation.time.getTime() - 1;
  return new Date(positions.isEmpty ? Math.max(generationStart, start.now - start.lookbackMs) : generationStart);
}
