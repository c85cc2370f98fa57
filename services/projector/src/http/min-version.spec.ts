import { readAtLeast } from './min-version';
import { ReadModelBehindError } from './errors';

describe('readAtLeast', () => {
  it('reads once when no minimum version is asked for', async () => {
    let reads = 0;
    const found = await readAtLeast('order x', async () => ({ version: ++reads }), undefined, 1_000);
    expect(found).toEqual({ version: 1 });
  });

  it('waits until the model reaches the version', async () => {
    let reads = 0;
    const found = await readAtLeast('order x', async () => (++reads < 3 ? null : { version: 4 }), 4, 2_000);
    expect(found).toEqual({ version: 4 });
    expect(reads).toBe(3);
  });

  it('says how far behind the model is once the wait is over', async () => {
    const reading = readAtLeast('order x', async () => ({ version: 2 }), 5, 120);
    await expect(reading).rejects.toBeInstanceOf(ReadModelBehindError);
    await expect(reading).rejects.toMatchObject({ status: 503, details: { wantedVersion: 5, currentVersion: 2, behindBy: 3 } });
  });
});
