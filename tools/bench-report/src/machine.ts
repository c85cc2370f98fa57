import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { z } from 'zod';

/** What the figures were measured on: they mean little without it. */
export const machineShape = z.strictObject({
  cpu: z.string(),
  cores: z.number().int().positive(),
  memoryGiB: z.number(),
  node: z.string(),
  java: z.string(),
  /** The 1-minute load average when the run began: other work on a shared machine shows here. */
  loadAtStart: z.number(),
});

export type Machine = z.infer<typeof machineShape>;

export function describeMachine(): Machine {
  return {
    cpu: cpuModel(),
    cores: os.cpus().length,
    memoryGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    java: javaVersion(),
    loadAtStart: os.loadavg()[0] ?? Number.NaN,
  };
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((text) => text.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown CPU';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown CPU';
  }
}

/** `java -version`'s first line (it writes to stderr), e.g. `openjdk version "17.0.16" 2025-07-15`. */
function javaVersion(): string {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) return 'no java on PATH';
  return `${result.stderr}${result.stdout}`.split('\n')[0]?.trim() || 'unknown';
}
