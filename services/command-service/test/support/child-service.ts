import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const PACKAGE_DIR = path.resolve(__dirname, '..', '..');
export const MAIN_JS = path.join(PACKAGE_DIR, 'dist', 'main.js');

function newestSource(directory: string): number {
  return readdirSync(directory, { withFileTypes: true }).reduce((newest, entry) => {
    const full = path.join(directory, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }, 0);
}

/** `dist/main.js` as `pnpm build` makes it; rebuilt here when missing or older than `src/`. */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(MAIN_JS) && statSync(MAIN_JS).mtimeMs >= newestSource(path.join(PACKAGE_DIR, 'src'))) return;
  const tsc = require.resolve('typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', path.join(PACKAGE_DIR, 'tsconfig.build.json')], { cwd: PACKAGE_DIR });
}

export interface ChildService {
  readonly process: ChildProcess;
  readonly url: string;
  /** Every JSON log line so far. */
  readonly logs: Record<string, unknown>[];
  /** What it wrote to stderr so far (a crash's reason). */
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

/** `node dist/main.js` with `env`; resolves once it logged that it listens. */
export function spawnService(env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<ChildService> {
  const child = spawn(process.execPath, [MAIN_JS], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.message === 'command-service listening') {
            clearTimeout(timer);
            resolve({ process: child, url: `http://127.0.0.1:${String(entry.port)}`, logs, stderr: () => stderr, exited });
          }
        } catch {
          // not a log line
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening: ${stderr}`));
    });
  });
}
