import { ValidationError } from '../../core/errors/domain-errors';

/** The aggregate version as a strong entity tag: `"7"`. */
export function etagFor(version: number): string {
  if (!Number.isSafeInteger(version) || version < 0) throw new RangeError(`not an aggregate version: ${version}`);
  return `"${version}"`;
}

const VERSION_TAG = /^(?:W\/)?"(0|[1-9][0-9]{0,15})"$/;

/**
 * The expected version from an `If-Match` header; undefined when the header is absent or `*`.
 *
 * - A weak tag (`W/"7"`) is accepted as version 7. The tag names the aggregate version, not the bytes, and
 *   proxies that compress responses weaken strong ETags on the way to the client (nginx does).
 * - `*` adds no version condition: loading the aggregate already answers 404 when it does not exist.
 * - Anything else, including a list of tags, is a 400 `invalid-if-match`: a command expects one version.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return undefined;
  const match = VERSION_TAG.exec(value);
  const version = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (!Number.isSafeInteger(version)) {
    throw new ValidationError('invalid-if-match', 'If-Match must be one entity tag holding a version, like "7"', {
      expected: '"<version>"',
    });
  }
  return version;
}
