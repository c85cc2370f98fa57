import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repositoryRoot } from '@scylla-es/es-core/testing';

/** A built service (`services/<name>/dist/main.js`) as a process of its own, as it runs in production. */
export function spawnService(name: 'command-service' | 'cdc-relay' | 'projector', env: NodeJS.ProcessEnv): ChildProcess {
  return fork(path.join(repositoryRoot(), 'services', name, 'dist', 'main.js'), [], {
    env,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

/** The built projector with the events of `poisoned` aggregates failing (support/poisoned-projector.js). */
export function spawnPoisonedProjector(poisoned: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return fork(path.join(__dirname, 'poisoned-projector.js'), [], {
    env: { ...env, POISONED_AGGREGATES: poisoned.join(',') },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

/** SIGTERM, then waits for the exit (a relay saves its checkpoints on the way out). */
export async function stopped(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** SIGKILL: no shutdown step runs, as when a machine dies. */
export async function killed(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
