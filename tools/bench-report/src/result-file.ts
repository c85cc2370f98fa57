import { existsSync, readFileSync } from 'node:fs';
import { benchFigureShape } from '@scylla-es/es-core/testing';
import { ResultFileError } from './errors';
import type { Round } from './summary';

/** The figures of one round's result file (one JSON object a line, as recordBenchFigures writes them). */
export function parseRound(file: string, text: string): Round {
  return text.split('\n').flatMap((line, index) => {
    if (line.trim() === '') return [];
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new ResultFileError(file, index + 1, `not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const figure = benchFigureShape.safeParse(json);
    if (!figure.success) throw new ResultFileError(file, index + 1, `not a bench figure: ${figure.error.issues.map((issue) => issue.message).join('; ')}`);
    return [figure.data];
  });
}

/** A round whose benches all failed before recording anything has no file: an empty round. */
export function readRound(file: string): Round {
  return existsSync(file) ? parseRound(file, readFileSync(file, 'utf8')) : [];
}
