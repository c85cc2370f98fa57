import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** The p-th percentile (0–100) of `values`, nearest rank; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Events per second between the 10% and the 90% mark of their timestamps (ms): a bench's steady rate, with
 * start-up and tail excluded.
 */
export function steadyRate(timestamps: readonly number[]): number {
  const sorted = [...timestamps].sort((a, b) => a - b);
  const low = Math.floor(sorted.length * 0.1);
  const high = Math.floor(sorted.length * 0.9);
  return ((high - low) / ((sorted[high] as number) - (sorted[low] as number))) * 1000;
}

/** CPU seconds (user + system, all threads) a process has used so far, from /proc/<pid>/stat. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may itself hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A process's resident memory in MiB, from /proc/<pid>/status. */
export function residentMemoryMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** Busy and total jiffies of the whole machine so far, from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * Waits until a process used less than `coreShare` of one core over a `sampleMs` sample (its background work,
 * e.g. a database's memtable flushes and compactions after a bulk write, is done), at most `timeoutMs`.
 * Whether it got quiet, for the bench to say so.
 */
export async function untilQuiet(pid: number, { coreShare = 0.15, sampleMs = 1_000, timeoutMs = 60_000 } = {}): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const before = processCpuSeconds(pid);
    await sleep(sampleMs);
    if (processCpuSeconds(pid) - before < (coreShare * sampleMs) / 1000) return true;
  }
  return false;
}

/** The sum of a metric's samples (all label sets) on a service's /metrics page, for benches watching a process. */
export async function scrapedTotal(metricsUrl: string, name: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}
