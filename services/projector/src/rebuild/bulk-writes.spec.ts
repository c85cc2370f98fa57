import { batchesOf } from './bulk-writes';

const write = (query: string, id: number, bytes = 10) => ({ query, params: [String(id), 'x'.repeat(bytes)] });

describe('batchesOf', () => {
  it('puts the writes of one statement side by side, in the order they came, so rows of one partition meet', () => {
    const writes = [write('order', 1), write('status', 1), write('order', 2), write('status', 2), write('day', 1)];
    expect(batchesOf(writes)).toEqual([[write('order', 1), write('order', 2), write('status', 1), write('status', 2), write('day', 1)]]);
  });

  it('cuts batches at 64 writes', () => {
    const writes = Array.from({ length: 130 }, (_, index) => write('order', index));
    expect(batchesOf(writes).map((batch) => batch.length)).toEqual([64, 64, 2]);
    expect(batchesOf(writes).flat()).toEqual(writes);
  });

  it('cuts batches before they outgrow the size engines refuse, and sends a write larger than that alone', () => {
    const writes = [write('order', 1, 7_000), write('order', 2, 7_000), write('order', 3, 7_000), write('order', 4, 40_000), write('order', 5)];
    expect(batchesOf(writes).map((batch) => batch.map((one) => one.params[0]))).toEqual([['1', '2'], ['3'], ['4'], ['5']]);
  });

  it('makes no batch of nothing', () => {
    expect(batchesOf([])).toEqual([]);
  });
});
