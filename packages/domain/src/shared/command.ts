/**
 * What the application layer adds to every command. Time is injected here so that `decide` never reads a clock:
 * the same command on the same history always yields the same events.
 */
export interface CommandMetadata {
  readonly now: Date;
}

/** A command as a decider receives it: a type tag, its validated data, and the injected metadata. */
export interface Command<Type extends string, Data extends object> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: CommandMetadata;
}

/** The data of a command that needs nothing but its type (e.g. ConfirmOrder). */
export type NoData = Record<string, never>;
