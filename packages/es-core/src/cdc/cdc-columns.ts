import { types } from 'cassandra-driver';
import type { CdcColumns } from './cdc-change';

export class CdcColumnTypeError extends Error {
  constructor(
    readonly column: string,
    readonly expected: string,
    actual: unknown,
  ) {
    super(`CDC column "${column}" is not ${expected} but ${actual === null ? 'null' : typeof actual}`);
    this.name = 'CdcColumnTypeError';
  }
}

/** Anything that hands out decoded column values by name: a driver row, or a plain record in specs. */
export interface ColumnSource {
  get(column: string): unknown;
}

/** Typed reads over decoded values, so no reader of a change depends on the driver's row type. */
export class DecodedColumns implements CdcColumns {
  constructor(private readonly source: ColumnSource) {}

  text(column: string): string | null {
    const value = this.source.get(column);
    if (value === null || value === undefined) return null;
    if (typeof value !== 'string') throw new CdcColumnTypeError(column, 'text', value);
    return value;
  }

  integer(column: string): number | null {
    const value = this.source.get(column);
    if (value === null || value === undefined) return null;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    if (types.Long.isLong(value)) return (value as types.Long).toNumber();
    throw new CdcColumnTypeError(column, 'an integer', value);
  }

  textMap(column: string): Readonly<Record<string, string>> | null {
    const value = this.source.get(column);
    if (value === null || value === undefined) return null;
    if (typeof value !== 'object' || Array.isArray(value)) throw new CdcColumnTypeError(column, 'a map<text, text>', value);
    return value as Readonly<Record<string, string>>;
  }
}

/** Columns over a plain record of decoded values (what an in-memory log or a spec holds). */
export const columnsOf = (values: Readonly<Record<string, unknown>>): CdcColumns =>
  new DecodedColumns({ get: (column) => values[column] });
