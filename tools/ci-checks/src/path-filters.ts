import { InvalidPathFilterError } from './errors';

/**
 * GitHub Actions path filters (`on.<event>.paths`), evaluated as GitHub does: `*` stays within one folder, `**`
 * crosses folders (and `**` before a slash also matches no folder at all), `?` and `+` make the character before
 * them optional or repeatable, `[...]` is a character class, and a pattern starting with `!` excludes what earlier
 * patterns included. The last pattern that matches a path decides.
 */
export function matchesPathFilters(patterns: readonly string[], file: string): boolean {
  let included = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (patternToRegExp(negated ? pattern.slice(1) : pattern).test(file)) included = !negated;
  }
  return included;
}

const REGEXP_SPECIALS = new Set(['.', '^', '$', '{', '}', '(', ')', '|', '\\']);

export function patternToRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern.charAt(index);
    if (char === '*' && pattern.charAt(index + 1) === '*') {
      const slashFollows = pattern.charAt(index + 2) === '/';
      source += slashFollows ? '(?:.*/)?' : '.*';
      index += slashFollows ? 2 : 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?' || char === '+') {
      if (index === 0) throw new InvalidPathFilterError(pattern, `'${char}' needs a character before it`);
      source += char;
    } else if (char === '[') {
      const end = pattern.indexOf(']', index);
      if (end < 0) throw new InvalidPathFilterError(pattern, "'[' is never closed");
      source += pattern.slice(index, end + 1);
      index = end;
    } else {
      source += REGEXP_SPECIALS.has(char) ? `\\${char}` : char;
    }
  }
  try {
    return new RegExp(`^${source}$`);
  } catch (error) {
    throw new InvalidPathFilterError(pattern, error instanceof Error ? error.message : String(error));
  }
}
