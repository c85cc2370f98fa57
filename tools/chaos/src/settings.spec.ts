import { loadChaosSettings } from './settings';

describe('loadChaosSettings', () => {
  it('reads durations in seconds or minutes and fault lists', () => {
    const settings = loadChaosSettings({ CHAOS_DURATION: '3m', CHAOS_FAULT_GAP: '7', CHAOS_FAULTS: 'stall, broker' });
    expect(settings.CHAOS_DURATION).toBe(180);
    expect(settings.CHAOS_FAULT_GAP).toBe(7);
    expect(settings.CHAOS_FAULTS).toEqual(['stall', 'broker']);
    expect(loadChaosSettings({ CHAOS_FAULTS: 'none' }).CHAOS_FAULTS).toEqual([]);
    expect(loadChaosSettings({}).CHAOS_FAULTS).toHaveLength(9);
  });

  it('names every bad variable', () => {
    expect(() => loadChaosSettings({ CHAOS_DURATION: 'soon', CHAOS_FAULTS: 'meteor', CHAOS_RATE: '0' })).toThrow(
      /CHAOS_DURATION: [^\n]*\n\s+CHAOS_RATE: [^\n]*\n\s+CHAOS_FAULTS/,
    );
  });
});
