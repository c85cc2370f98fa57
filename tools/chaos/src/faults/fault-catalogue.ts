import { setTimeout as sleep } from 'node:timers/promises';
import { SERVICES, type FaultControls, type ServiceName } from '../stack/stack';

/** How the storm knows a fault is over: the pipeline carries a new command again, or the poison is dead-lettered. */
export type RecoveryProof = 'pipeline' | 'poison';

export const FAULT_IDS = ['command-service', 'cdc-relay', 'projector', 'dlq-service', 'poison', 'generation', 'stall', 'broker', 'database'] as const;
export type FaultId = (typeof FAULT_IDS)[number];

export interface Fault {
  readonly id: FaultId;
  readonly name: string;
  readonly proof: RecoveryProof;
  /** Injects the fault and resolves once it is over (the process restarted, the engine back, the stall lifted). */
  readonly inject?: () => Promise<void>;
  /** Why this stack cannot take the fault. */
  readonly skipped?: string;
}

export const BROKER_OUTAGE_MS = 30_000;
export const DATABASE_STALL_MS = 20_000;
const GENERATION_DELAY_S = 5;

const missing = (controls: FaultControls, control: string): string => controls.unsupported[control] ?? `this stack offers no ${control}`;

function killFault(controls: FaultControls, name: ServiceName): Fault {
  const { killService } = controls;
  return killService
    ? { id: name, name: `SIGKILL ${name}, restarted`, proof: 'pipeline', inject: () => killService(name) }
    : { id: name, name: `SIGKILL ${name}`, proof: 'pipeline', skipped: missing(controls, 'killService') };
}

/**
 * One cycle of the storm's faults, cheap ones first, with a poison step after every few. Locally the CDC emulation
 * runs inside Cassandra's JVM, so the database crash restarts it too.
 */
export function faultCycle(controls: FaultControls, chosen: ReadonlySet<FaultId> = new Set(FAULT_IDS)): Fault[] {
  const { restartDatabase, killBroker, startBroker, stallDatabase, resumeDatabase, newCdcGeneration } = controls;
  const poison: Fault = { id: 'poison', name: 'poison events published', proof: 'poison' };
  const [commandService, relay, projector, dlqService] = SERVICES.map((name) => killFault(controls, name)) as [Fault, Fault, Fault, Fault];
  const cycle: Fault[] = [
    commandService,
    poison,
    relay,
    projector,
    poison,
    dlqService,
    newCdcGeneration
      ? {
          id: 'generation',
          name: `CDC generation switch (${GENERATION_DELAY_S} s ahead)`,
          proof: 'pipeline',
          inject: async () => {
            const takesOver = await newCdcGeneration();
            await sleep(Math.max(0, takesOver.getTime() - Date.now()) + 1_000);
          },
        }
      : { id: 'generation', name: 'CDC generation switch', proof: 'pipeline', skipped: missing(controls, 'newCdcGeneration') },
    stallDatabase && resumeDatabase
      ? {
          id: 'stall',
          name: `database stalled for ${DATABASE_STALL_MS / 1000} s (connections open, nothing flows)`,
          proof: 'pipeline',
          inject: async () => {
            await stallDatabase();
            await sleep(DATABASE_STALL_MS);
            await resumeDatabase();
          },
        }
      : { id: 'stall', name: 'database stall', proof: 'pipeline', skipped: missing(controls, 'stallDatabase') },
    poison,
    killBroker && startBroker
      ? {
          id: 'broker',
          name: `broker killed for ${BROKER_OUTAGE_MS / 1000} s`,
          proof: 'pipeline',
          inject: async () => {
            await killBroker();
            await sleep(BROKER_OUTAGE_MS);
            await startBroker();
          },
        }
      : { id: 'broker', name: 'broker outage', proof: 'pipeline', skipped: missing(controls, 'killBroker') },
    restartDatabase
      ? { id: 'database', name: 'database SIGKILLed and restarted', proof: 'pipeline', inject: restartDatabase }
      : { id: 'database', name: 'database restart', proof: 'pipeline', skipped: missing(controls, 'restartDatabase') },
  ];
  return cycle.filter((fault) => chosen.has(fault.id));
}
