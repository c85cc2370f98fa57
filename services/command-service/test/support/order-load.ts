import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient, ApiResponse } from './http';
import { items } from './fixtures';

/** One answer of the service as a client saw it; `status` is `no answer` when none came within the deadline. */
export interface ObservedAnswer {
  readonly route: string;
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly status: number | 'no answer';
  readonly contentType: string | null;
  readonly retryAfter: string | null;
  readonly problemType: unknown;
}

export interface OrderLoad {
  /** Every answer so far, in the order they came. */
  readonly answers: readonly ObservedAnswer[];
  /** The version the service acknowledged last for each order: what the store must hold afterwards. */
  readonly acknowledged: ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

/** Sends one request, records its answer (or that none came within `deadlineMs`) in `into`, and returns it. */
export async function observeAnswer(
  into: ObservedAnswer[],
  route: string,
  deadlineMs: number,
  send: (signal: AbortSignal) => Promise<ApiResponse>,
): Promise<ApiResponse | undefined> {
  const sentAt = Date.now();
  try {
    const response = await send(AbortSignal.timeout(deadlineMs));
    into.push({
      route,
      sentAt,
      answeredAt: Date.now(),
      status: response.status,
      contentType: response.headers.get('content-type'),
      retryAfter: response.headers.get('retry-after'),
      problemType: response.body.type,
    });
    return response;
  } catch {
    const unanswered = { status: 'no answer', contentType: null, retryAfter: null, problemType: undefined } as const;
    into.push({ route, sentAt, answeredAt: Date.now(), ...unanswered });
    return undefined;
  }
}

/** A failed writer waits this long before its next command, so an outage is not a busy loop of 503s. */
const PAUSE_AFTER_FAILURE_MS = 100;

/**
 * `writers` concurrent clients, each creating an order and confirming it, again and again, until stopped. A command
 * that fails is not retried: the writer starts a new order, and only what the service acknowledged is remembered.
 */
export function startOrderLoad(api: ApiClient, customerId: string, writers: number, answerDeadlineMs: number): OrderLoad {
  const answers: ObservedAnswer[] = [];
  const acknowledged = new Map<string, number>();
  let running = true;

  const acknowledge = (response: ApiResponse | undefined, expected: number): string | undefined => {
    if (response?.status !== expected) return undefined;
    const orderId = String(response.body.id);
    acknowledged.set(orderId, Number(response.body.version));
    return orderId;
  };

  const send = (route: string, request: (signal: AbortSignal) => Promise<ApiResponse>) =>
    observeAnswer(answers, route, answerDeadlineMs, request);
  const create = async (): Promise<string | undefined> =>
    acknowledge(await send('POST /orders', (signal) => api.post('/orders', { customerId, items: items() }, { signal })), 201);
  const confirm = async (orderId: string): Promise<boolean> =>
    acknowledge(await send('POST /orders/:id/confirm', (signal) => api.post(`/orders/${orderId}/confirm`, undefined, { signal })), 200)
      !== undefined;

  const writer = async (): Promise<void> => {
    while (running) {
      const orderId = await create();
      if (orderId === undefined || !(await confirm(orderId))) await sleep(PAUSE_AFTER_FAILURE_MS);
    }
  };

  const done = Promise.all(Array.from({ length: writers }, writer));
  return {
    answers,
    acknowledged,
    stop: async () => {
      running = false;
      await done;
    },
  };
}
