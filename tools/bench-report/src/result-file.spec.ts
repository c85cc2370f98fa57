import { ResultFileError } from './errors';
import { parseRound } from './result-file';

describe('reading a round’s result file', () => {
  it('reads one figure a line, blank lines aside', () => {
    const text = '{"bench":"relay","name":"rate","value":10,"unit":"events/s"}\n\n{"bench":"relay","name":"rss","value":80,"unit":"MiB"}\n';
    expect(parseRound('round-1.jsonl', text).map((figure) => figure.name)).toEqual(['rate', 'rss']);
  });

  it('names the file and line of anything that is not a figure', () => {
    expect(() => parseRound('round-1.jsonl', '{"bench":"relay","name":"rate","value":10,"unit":"x"}\nnot json')).toThrow(ResultFileError);
    expect(() => parseRound('round-1.jsonl', '{"bench":"relay","name":"rate","value":"10","unit":"x"}')).toThrow(/round-1\.jsonl:1: not a bench figure/);
  });
});
