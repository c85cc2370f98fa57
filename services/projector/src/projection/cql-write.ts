/** One prepared CQL write, to be sent alone or in a batch with others. */
export interface CqlWrite {
  readonly query: string;
  readonly params: unknown[];
}
