import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CheckInputError } from './errors';

/** Reads a repository file and parses it; either failure names the file. */
export function parseFile<T>(root: string, file: string, parseText: (text: string) => T): T {
  let text: string;
  try {
    text = readFileSync(path.join(root, file), 'utf8');
  } catch (error) {
    throw new CheckInputError(file, `cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return parseText(text);
  } catch (error) {
    throw new CheckInputError(file, error instanceof Error ? error.message : String(error));
  }
}
