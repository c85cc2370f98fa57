/** One invariant's verdict, with the first violations found and the figures it measured. */
export interface CheckResult {
  readonly name: string;
  readonly passed: boolean;
  /** Each violation in one line naming the aggregate, command or message. */
  readonly violations: readonly string[];
  readonly figures: Readonly<Record<string, number | string>>;
}

export function checkResult(name: string, violations: readonly string[], figures: Record<string, number | string> = {}): CheckResult {
  return { name, passed: violations.length === 0, violations, figures };
}

/** Runs `task` over `items`, at most `concurrency` at a time. */
export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) await task(items[index] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
