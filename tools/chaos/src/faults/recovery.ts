import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { servicesNotReady } from '../check/settled-checks';
import type { LoadGenerator } from '../load/load-generator';
import type { Stack } from '../stack/stack';

/**
 * Resolves once the whole pipeline works again: every service answers ready, and a customer registered now is
 * acknowledged and shows in the projector's read model (so the command-service, the database, the CDC log, the
 * relay, Kafka and the projector all did their part). Throws after `timeoutMs`.
 */
export async function pipelineRecovered(stack: Stack, load: LoadGenerator, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await servicesNotReady(stack.urls)).length > 0) {
    if (Date.now() > deadline) throw new Error(`services not ready: ${(await servicesNotReady(stack.urls)).join('; ')}`);
    await sleep(250);
  }
  const customerId = randomUUID();
  const outcome = await load.sendOne(
    'register',
    { kind: 'Customer', aggregateId: customerId },
    { method: 'POST', path: '/customers', body: { customerId, email: `probe-${customerId}@example.com`, firstName: 'Probe', lastName: 'Storm' } },
    deadline,
  );
  if (outcome.kind !== 'acknowledged') throw new Error(`the probe command was not acknowledged: ${JSON.stringify(outcome)}`);
  await until(deadline, 'the probe in the read model', async () => {
    const response = await fetch(`${stack.urls.projector}/customers/${customerId}`, { headers: { authorization: `Bearer ${stack.tokens.read}` }, signal: AbortSignal.timeout(5_000) });
    return response.status === 200;
  });
}

/** Resolves once the dlq-service lists a dead letter for each poisoned aggregate. */
export async function poisonDeadLettered(stack: Stack, aggregateIds: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const aggregateId of aggregateIds) {
    await until(deadline, `the dead letter of ${aggregateId}`, async () => {
      const response = await fetch(`${stack.urls['dlq-service']}/dlq/messages?aggregateId=${aggregateId}`, {
        headers: { authorization: `Bearer ${stack.tokens.read}` },
        signal: AbortSignal.timeout(5_000),
      });
      return response.status === 200 && ((await response.json()) as { messages: unknown[] }).messages.length > 0;
    });
  }
}

async function until(deadline: number, what: string, probe: () => Promise<boolean>): Promise<void> {
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}
