/** A file the checks read is missing or not what they expect: the checks cannot judge the workflows. */
export class CheckInputError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'CheckInputError';
  }
}

export class InvalidPathFilterError extends Error {
  constructor(
    readonly pattern: string,
    detail: string,
  ) {
    super(`path filter '${pattern}' is not valid: ${detail}`);
    this.name = 'InvalidPathFilterError';
  }
}
