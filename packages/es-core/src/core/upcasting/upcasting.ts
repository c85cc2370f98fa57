import type { z } from 'zod';

/** Lifts the stored data of one event type from `fromVersion` to `fromVersion + 1`. */
export interface Upcaster {
  readonly eventType: string;
  readonly fromVersion: number;
  readonly upcast: (data: unknown) => unknown;
}

/**
 * What the store needs to know about an event type: the schema version it writes today and the zod schema
 * that validates data of that version after upcasting.
 */
export interface EventTypeDefinition<Data = unknown> {
  readonly type: string;
  readonly schemaVersion: number;
  readonly schema: z.ZodType<Data>;
}

export class UnknownEventTypeError extends Error {
  constructor(readonly eventType: string) {
    super(`no definition registered for event type "${eventType}"`);
    this.name = 'UnknownEventTypeError';
  }
}

export class MissingUpcasterError extends Error {
  constructor(
    readonly eventType: string,
    readonly fromVersion: number,
  ) {
    super(`no upcaster lifts "${eventType}" from schema version ${fromVersion}`);
    this.name = 'MissingUpcasterError';
  }
}

/**
 * Turns stored (type, schemaVersion, data) into current, validated event data by applying the upcaster chain
 * one version at a time, then the current schema. A gap in the chain is an error, never a silent pass-through.
 */
export class EventUpcasting {
  private readonly definitions = new Map<string, EventTypeDefinition>();
  private readonly upcasters = new Map<string, Upcaster>();

  constructor(definitions: readonly EventTypeDefinition[], upcasters: readonly Upcaster[] = []) {
    for (const definition of definitions) this.definitions.set(definition.type, definition);
    for (const upcaster of upcasters) this.upcasters.set(key(upcaster.eventType, upcaster.fromVersion), upcaster);
  }

  currentVersion(eventType: string): number {
    return this.definition(eventType).schemaVersion;
  }

  /** Validates data about to be written at the current schema version. */
  validateCurrent(eventType: string, data: unknown): unknown {
    return this.definition(eventType).schema.parse(data);
  }

  lift(eventType: string, storedVersion: number, data: unknown): unknown {
    const definition = this.definition(eventType);
    let lifted = data;
    for (let version = storedVersion; version < definition.schemaVersion; version++) {
      const upcaster = this.upcasters.get(key(eventType, version));
      if (!upcaster) throw new MissingUpcasterError(eventType, version);
      lifted = upcaster.upcast(lifted);
    }
    return definition.schema.parse(lifted);
  }

  private definition(eventType: string): EventTypeDefinition {
    const definition = this.definitions.get(eventType);
    if (!definition) throw new UnknownEventTypeError(eventType);
    return definition;
  }
}

const key = (eventType: string, fromVersion: number): string => `${eventType}@${fromVersion}`;
