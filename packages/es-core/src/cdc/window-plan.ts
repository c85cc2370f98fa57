export interface WindowPlanInput {
  /** The group's position: everything up to this millisecond was read. */
  readonly from: number;
  readonly now: number;
  /** The next generation's first millisecond, when there is a next generation. */
  readonly nextGenerationStart: number | undefined;
  readonly windowMs: number;
  readonly maxWindowMs: number;
  readonly confidenceWindowMs: number;
}

export interface WindowPlan {
  /** Exclusive: the window holds the changes after this millisecond… */
  readonly from: number;
  /** …up to and including this one. */
  readonly to: number;
  /** Cut by the window size rather than by the clock: the group is behind, and the next pass follows at once. */
  readonly behind: boolean;
  /** Reaches the last millisecond of its generation. */
  readonly endsGeneration: boolean;
}

/**
 * The next window of a group: `(from, min(from + size, now − confidence window, next generation's start − 1)]`,
 * or none when that is empty. The confidence window keeps the reader behind writes whose client timestamps
 * may still land in the log; the size grows (up to the maximum) while the group is more than two windows
 * behind, so a backlog is caught up with fewer, larger reads.
 */
export function planWindow(input: WindowPlanInput): WindowPlan | undefined {
  const { from, now } = input;
  const lagMs = now - from;
  const size = lagMs > 2 * input.windowMs ? Math.min(input.maxWindowMs, lagMs) : input.windowMs;
  const sizeBound = from + size;
  const generationEnd = input.nextGenerationStart === undefined ? Number.POSITIVE_INFINITY : input.nextGenerationStart - 1;
  const to = Math.min(sizeBound, now - input.confidenceWindowMs, generationEnd);
  if (to <= from) return undefined;
  return { from, to, behind: to === sizeBound, endsGeneration: to === generationEnd };
}
