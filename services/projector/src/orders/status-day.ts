/**
 * The orders_by_status partition an order falls in: the UTC day it entered its status, as `YYYY-MM-DD`, which
 * sorts by time as text. A day bounds a partition by one day's status changes instead of all of history.
 */
export function statusDayOf(enteredAt: Date): string {
  return enteredAt.toISOString().slice(0, 10);
}
