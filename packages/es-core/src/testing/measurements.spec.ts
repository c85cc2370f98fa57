import { machineCpu, percentile, processCpuSeconds, residentMemoryMiB } from './measurements';

describe('bench measurements', () => {
  it('takes percentiles by nearest rank, whatever the input order', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(6);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });

  it('reads this process’s CPU time and memory, and the machine’s CPU counters, from /proc', () => {
    const before = processCpuSeconds(process.pid);
    const until = Date.now() + 50;
    while (Date.now() < until) Math.sqrt(Math.random());
    expect(processCpuSeconds(process.pid)).toBeGreaterThan(before);
    expect(residentMemoryMiB(process.pid)).toBeGreaterThan(10);
    const { busy, total } = machineCpu();
    expect(busy).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(busy);
  });
});
