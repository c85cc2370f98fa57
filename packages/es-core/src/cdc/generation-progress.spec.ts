import type { Generation } from './cdc-ports';
import { generationInProgress, startOfGroup } from './generation-progress';
import { GroupPositions } from './group-positions';

const MINUTE = 60_000;
const NOW = Date.parse('2026-06-01T12:00:00Z');
const stream = (byte: number) => Buffer.alloc(16, byte);
const generation = (startedMinutesAgo: number): Generation => ({
  time: new Date(NOW - startedMinutesAgo * MINUTE),
  groups: [
    { id: 1, streams: [stream(1)] },
    { id: 2, streams: [stream(2)] },
  ],
});
const old = generation(60);
const recent = generation(10);
const start = { now: NOW, lookbackMs: MINUTE };

function positions(...checkpoints: readonly [Generation, number, number][]): GroupPositions {
  const known = new GroupPositions();
  for (const [of, groupId, position] of checkpoints) known.remember({ generation: of.time, groupId, position: new Date(position) });
  return known;
}

describe('which generation a consumer reads', () => {
  it('starts a consumer without checkpoints in the generation holding now − look-back', () => {
    expect(generationInProgress([old, recent], new GroupPositions(), start)).toEqual({ generation: recent, next: undefined });
    expect(generationInProgress([old, recent], new GroupPositions(), { now: NOW, lookbackMs: 30 * MINUTE })).toEqual({
      generation: old,
      next: recent,
    });
  });

  it('stays on the old generation until every group reached its end, whichever instance read them', () => {
    const end = recent.time.getTime() - 1;
    expect(generationInProgress([old, recent], positions([old, 1, end], [old, 2, end - 1]), start)).toEqual({ generation: old, next: recent });
    expect(generationInProgress([old, recent], positions([old, 1, end], [old, 2, end]), start)).toEqual({ generation: recent, next: undefined });
  });

  it('resumes from the oldest generation with a checkpoint, however far back', () => {
    const oldest = generation(600);
    expect(generationInProgress([oldest, old, recent], positions([old, 1, NOW - 50 * MINUTE]), start)).toEqual({ generation: old, next: recent });
  });

  it('knows no generation before the cluster announced one', () => {
    expect(generationInProgress([], new GroupPositions(), start)).toBeUndefined();
  });

  it("starts a group without a checkpoint at its generation's first instant once the consumer has any checkpoint", () => {
    expect(startOfGroup(old, positions([recent, 1, NOW - MINUTE]), start)).toEqual(new Date(old.time.getTime() - 1));
  });

  it('starts a new consumer at now − look-back, or at its generation if that began later', () => {
    expect(startOfGroup(old, new GroupPositions(), start)).toEqual(new Date(NOW - MINUTE));
    expect(startOfGroup(old, new GroupPositions(), { now: NOW, lookbackMs: 120 * MINUTE })).toEqual(new Date(old.time.getTime() - 1));
  });
});
