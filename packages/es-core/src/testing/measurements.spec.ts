import { spawn } from 'node:child_process';
import { machineCpu, percentile, processCpuSeconds, residentMemoryMiB, untilQuiet } from './measurements';

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

  it('tells a quiet process from a busy one', async () => {
    const idle = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10_000)']);
    const busy = spawn(process.execPath, ['-e', 'for (;;) {}']);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // past their start-up
      expect(await untilQuiet(idle.pid as number, { sampleMs: 300, timeoutMs: 2_000 })).toBe(true);
      expect(await untilQuiet(busy.pid as number, { sampleMs: 300, timeoutMs: 1_000 })).toBe(false);
    } finally {
      idle.kill();
      busy.kill();
    }
  });
});
