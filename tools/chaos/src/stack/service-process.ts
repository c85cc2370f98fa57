import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from '@scylla-es/es-core/testing';
import type { ServiceName } from './stack';

/**
 * A built service (`services/<name>/dist/main.js`) as a process of its own, as it runs in production, its output
 * appended to a log file. It can be SIGKILLed and started again with the same environment.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;

  constructor(
    readonly name: ServiceName,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
  ) {}

  start(): void {
    const log = openSync(this.logFile, 'a');
    try {
      this.child = fork(path.join(repositoryRoot(__dirname), 'services', this.name, 'dist', 'main.js'), [], {
        env: this.env,
        stdio: ['ignore', log, log, 'ipc'],
      });
    } finally {
      closeSync(log);
    }
  }

  /** SIGKILL: no shutdown step runs, as when a machine dies. */
  kill(): Promise<void> {
    return this.ended('SIGKILL');
  }

  /** SIGTERM: the service's graceful shutdown. */
  stop(): Promise<void> {
    return this.ended('SIGTERM');
  }

  private async ended(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}
