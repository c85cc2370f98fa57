/** One invariant's verdict, with the first violations found and the figures it measured. */
export interface CheckResult {
  readonly name: string;
  readonly passed: boolean;
  /** Up to MAX_DETAILS violations, each one line naming the aggregate, command or message. */
  readonly violations: readonly string[];
  readonly violationCount: number;
  readonly figures: Readonly<Record<string, number | string>>;
}

const MAX_DETAILS = 20;

export function checkResult(name: string, violations: readonly string[], figures: Record<string, number | string> = {}): CheckResult {
  return { name, passed: violations.length === 0, violations: violations.slice(0, MAX_DETAILS), violationCount: violations.length, figures };
}

/** Runs `task` over `items`, at most `concurrency` at a time. */
export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) await task(items[index] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
