import { RequestCoalescer } from './request-coalescer';

describe('RequestCoalescer', () => {
  it('starts the requests of one turn together, after that turn, in the order they were asked for', async () => {
    const coalescer = new RequestCoalescer();
    const started: string[] = [];
    const request = (name: string) =>
      coalescer.run(async () => {
        started.push(name);
        return name;
      });
    const first = request('a');
    const second = request('b');
    expect(started).toEqual([]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a', 'b']);
    await expect(Promise.all([first, second])).resolves.toEqual(['a', 'b']);
  });

  it('passes a failure to its own caller only', async () => {
    const coalescer = new RequestCoalescer();
    const failing = coalescer.run(() => Promise.reject(new Error('write timeout')));
    const fine = coalescer.run(() => Promise.resolve(42));
    await expect(failing).rejects.toThrow('write timeout');
    await expect(fine).resolves.toBe(42);
  });

  it('keeps working across turns', async () => {
    const coalescer = new RequestCoalescer();
    for (let turn = 0; turn < 3; turn++) {
      await expect(coalescer.run(() => Promise.resolve(turn))).resolves.toBe(turn);
    }
  });
});
