import { MissingMarkersError } from './errors';

export const BEGIN_MARKER = '<!-- bench-report:begin -->';
export const END_MARKER = '<!-- bench-report:end -->';

/** `text` with what lies between the markers replaced by `content`; the markers stay, for the next run. */
export function replaceSection(file: string, text: string, content: string): string {
  const begin = text.indexOf(BEGIN_MARKER);
  const end = text.indexOf(END_MARKER);
  if (begin < 0 || end < begin) throw new MissingMarkersError(file, BEGIN_MARKER, END_MARKER);
  return `${text.slice(0, begin + BEGIN_MARKER.length)}\n${content.trimEnd()}\n${text.slice(end)}`;
}
