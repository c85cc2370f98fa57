import { GroupPacing } from './group-pacing';

const pacing = () => new GroupPacing({ CDC_IDLE_AFTER_MS: 10_000, CDC_IDLE_POLL_INTERVAL_MS: 2_000 });

describe('pacing the reads of a stream group', () => {
  it('reads a group on every pass while it brought changes within the idle threshold', () => {
    const groups = pacing();
    expect(groups.isDue('g', 0)).toBe(true);
    groups.read('g', 0, true);
    groups.read('g', 9_000, false);
    expect(groups.isDue('g', 9_000)).toBe(true);
  });

  it('reads a group quiet for longer than the threshold only every idle interval, and at once again after changes', () => {
    const groups = pacing();
    groups.read('g', 0, false);
    groups.read('g', 10_000, false);
    expect(groups.isDue('g', 11_999)).toBe(false);
    expect(groups.isDue('g', 12_000)).toBe(true);
    groups.read('g', 12_000, true);
    expect(groups.isDue('g', 12_000)).toBe(true);
  });

  it('counts a window cut by its size (a group behind) as busy', () => {
    const groups = pacing();
    groups.read('g', 0, false);
    groups.read('g', 20_000, true);
    groups.read('g', 20_100, false);
    expect(groups.isDue('g', 20_100)).toBe(true);
  });
});
