import type { CdcReaderConfig } from './cdc-reader-config';

/**
 * How often each stream group is read. A group that delivered changes (or was behind) within the last
 * CDC_IDLE_AFTER_MS is read on every pass, one poll interval apart, so a busy group's latency is untouched; a
 * group quiet for longer is read every CDC_IDLE_POLL_INTERVAL_MS only, until a window brings changes again. An
 * idle reader's queries then scale with its groups ÷ the idle interval, and the first change after a quiet spell
 * waits at most that interval more (on top of the confidence window and the poll interval).
 */
export class GroupPacing {
  private readonly activeAt = new Map<string, number>();
  private readonly dueAt = new Map<string, number>();

  constructor(private readonly config: Pick<CdcReaderConfig, 'CDC_IDLE_AFTER_MS' | 'CDC_IDLE_POLL_INTERVAL_MS'>) {}

  /** Whether the group's next window is due (a group never read is). */
  isDue(key: string, now: number): boolean {
    return (this.dueAt.get(key) ?? 0) <= now;
  }

  /** Records a window read at `now`: whether it brought changes or was cut by its size (the group is behind). */
  read(key: string, now: number, busy: boolean): void {
    if (busy || !this.activeAt.has(key)) this.activeAt.set(key, now);
    const quietMs = now - (this.activeAt.get(key) ?? now);
    this.dueAt.set(key, quietMs >= this.config.CDC_IDLE_AFTER_MS ? now + this.config.CDC_IDLE_POLL_INTERVAL_MS : now);
  }
}
