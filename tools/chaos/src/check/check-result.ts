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
