import type { AggregateDefinition, CommandHandler, DomainEvent, HandleResult } from '@scylla-es/es-core';
import { handleOptionsOf, type CommandContext } from './command-context';
import { ForeignStreamError } from './foreign-stream';

/** An aggregate type commands are sent to, and the 404 for an id that names another kind of aggregate. */
export interface CommandTarget<Command, Event extends DomainEvent, State> {
  readonly definition: AggregateDefinition<Command, Event, State>;
  readonly notFound: () => Error;
}

/**
 * A command on an existing aggregate, through the service's command handler. An id that names a stream of
 * another aggregate type is no aggregate of this one: 404, not the handler's rule violation.
 */
export async function sendCommand<Command, Event extends DomainEvent, State>(
  handler: CommandHandler,
  target: CommandTarget<Command, Event, State>,
  aggregateId: string,
  command: Command,
  context: CommandContext,
): Promise<HandleResult<State>> {
  try {
    return await handler.handle(target.definition, aggregateId, command, handleOptionsOf(context));
  } catch (error) {
    if (error instanceof ForeignStreamError) throw target.notFound();
    throw error;
  }
}
