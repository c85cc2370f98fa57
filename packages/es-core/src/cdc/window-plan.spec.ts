import { planWindow, type WindowPlanInput } from './window-plan';

const SECOND = 1_000;
const NOW = Date.parse('2026-06-01T12:00:00Z');
const settings = { windowMs: 30 * SECOND, maxWindowMs: 300 * SECOND, confidenceWindowMs: 30 * SECOND };
const plan = (input: Partial<WindowPlanInput> & Pick<WindowPlanInput, 'from'>) =>
  planWindow({ now: NOW, nextGenerationStart: undefined, ...settings, ...input });

describe('planning the next window of a stream group', () => {
  it('stops the confidence window short of now', () => {
    expect(plan({ from: NOW - 40 * SECOND })).toEqual({ from: NOW - 40 * SECOND, to: NOW - 30 * SECOND, behind: false, endsGeneration: false });
  });

  it('plans nothing while the position is inside the confidence window', () => {
    expect(plan({ from: NOW - 30 * SECOND })).toBeUndefined();
    expect(plan({ from: NOW - 10 * SECOND })).toBeUndefined();
  });

  it('is one window long when the group is at most two windows behind, and reports it behind when the size cut it', () => {
    const from = NOW - 50 * SECOND;
    expect(plan({ from, confidenceWindowMs: 5 * SECOND })).toEqual({ from, to: from + 30 * SECOND, behind: true, endsGeneration: false });
  });

  it('grows while the group is further behind, up to the maximum size', () => {
    expect(plan({ from: NOW - 100 * SECOND })).toMatchObject({ to: NOW - 30 * SECOND, behind: false });
    expect(plan({ from: NOW - 3_600 * SECOND })).toMatchObject({ to: NOW - 3_300 * SECOND, behind: true });
  });

  it("ends at the millisecond before the next generation's start", () => {
    const nextGenerationStart = NOW - 120 * SECOND;
    expect(plan({ from: NOW - 130 * SECOND, nextGenerationStart })).toEqual({
      from: NOW - 130 * SECOND,
      to: nextGenerationStart - 1,
      behind: false,
      endsGeneration: true,
    });
  });

  it('plans nothing for a group that already reached the end of its generation', () => {
    const nextGenerationStart = NOW - 120 * SECOND;
    expect(plan({ from: nextGenerationStart - 1, nextGenerationStart })).toBeUndefined();
  });
});
