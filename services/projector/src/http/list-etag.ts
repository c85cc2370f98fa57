import { createHash } from 'node:crypto';

/**
 * A listing's entity tag: weak, because it names the versions of the rows it shows rather than the bytes. It
 * changes whenever any row on the page moves to another version, joins or leaves the page.
 */
export function listEtag(rows: readonly { readonly id: string; readonly version: number }[], next: string | null): string {
  const hash = createHash('sha256');
  for (const row of rows) hash.update(`${row.id}@${row.version};`);
  hash.update(next ?? '');
  return `W/"${hash.digest('base64url').slice(0, 22)}"`;
}
