/** A line of a round's result file is not a bench figure: a bench wrote something the report cannot read. */
export class ResultFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'ResultFileError';
  }
}

/** The README has no place marked for the table (its begin and end markers, in that order). */
export class MissingMarkersError extends Error {
  constructor(
    readonly file: string,
    begin: string,
    end: string,
  ) {
    super(`${file} has no '${begin}' … '${end}' section for the benchmark table`);
    this.name = 'MissingMarkersError';
  }
}
