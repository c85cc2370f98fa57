import { CircuitBreaker, CircuitOpenError, CircuitState } from './circuit-breaker';

describe('CircuitBreaker', () => {
  const boom = new Error('broker down');
  const fail = () => Promise.reject(boom);
  const succeed = () => Promise.resolve('ok');

  function breaker(options: { isFailure?: (error: unknown) => boolean } = {}) {
    let now = 1_000;
    const changes: [CircuitState, CircuitState][] = [];
    const circuit = new CircuitBreaker({
      name: 'redpanda',
      failureThreshold: 3,
      cooldownMs: 5_000,
      now: () => now,
      onStateChange: (state, previous) => void changes.push([state, previous]),
      ...options,
    });
    return { circuit, changes, advance: (ms: number) => void (now += ms) };
  }

  it('exposes 0 closed, 1 half-open, 2 open (the alert rule depends on 2 = open)', () => {
    expect(CircuitState).toEqual({ Closed: 0, HalfOpen: 1, Open: 2 });
  });

  it('opens after N consecutive failures and then refuses calls without making them', async () => {
    const { circuit, changes } = breaker();
    for (let i = 0; i < 3; i += 1) await expect(circuit.execute(fail)).rejects.toBe(boom);
    expect(circuit.state).toBe(CircuitState.Open);
    expect(circuit.retryAfterMs).toBe(5_000);
    expect(changes).toEqual([[CircuitState.Open, CircuitState.Closed]]);

    const operation = jest.fn(succeed);
    const refused = circuit.execute(operation);
    await expect(refused).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(refused).rejects.toMatchObject({ retryAfterMs: 5_000, circuit: 'redpanda' });
    expect(operation).not.toHaveBeenCalled();
  });

  it('a success in between resets the count of consecutive failures', async () => {
    const { circuit } = breaker();
    await expect(circuit.execute(fail)).rejects.toBe(boom);
    await expect(circuit.execute(fail)).rejects.toBe(boom);
    await circuit.execute(succeed);
    await expect(circuit.execute(fail)).rejects.toBe(boom);
    await expect(circuit.execute(fail)).rejects.toBe(boom);
    expect(circuit.state).toBe(CircuitState.Closed);
  });

  it('half-opens after the cool-down and closes when the trial succeeds', async () => {
    const { circuit, changes, advance } = breaker();
    for (let i = 0; i < 3; i += 1) await expect(circuit.execute(fail)).rejects.toBe(boom);
    advance(4_999);
    await expect(circuit.execute(succeed)).rejects.toMatchObject({ retryAfterMs: 1 });
    advance(1);
    await expect(circuit.execute(succeed)).resolves.toBe('ok');
    expect(circuit.state).toBe(CircuitState.Closed);
    expect(changes).toEqual([
      [CircuitState.Open, CircuitState.Closed],
      [CircuitState.HalfOpen, CircuitState.Open],
      [CircuitState.Closed, CircuitState.HalfOpen],
    ]);
  });

  it('opens again for another cool-down when the trial fails', async () => {
    const { circuit, advance } = breaker();
    for (let i = 0; i < 3; i += 1) await expect(circuit.execute(fail)).rejects.toBe(boom);
    advance(5_000);
    await expect(circuit.execute(fail)).rejects.toBe(boom);
    expect(circuit.state).toBe(CircuitState.Open);
    await expect(circuit.execute(succeed)).rejects.toMatchObject({ retryAfterMs: 5_000 });
  });

  it('lets exactly one trial through while half-open', async () => {
    const { circuit, advance } = breaker();
    for (let i = 0; i < 3; i += 1) await expect(circuit.execute(fail)).rejects.toBe(boom);
    advance(5_000);
    let finishTrial: (value: string) => void = () => undefined;
    const trial = circuit.execute(() => new Promise<string>((resolve) => (finishTrial = resolve)));
    expect(circuit.state).toBe(CircuitState.HalfOpen);
    await expect(circuit.execute(succeed)).rejects.toMatchObject({ retryAfterMs: 0 });
    finishTrial('trial');
    await expect(trial).resolves.toBe('trial');
    expect(circuit.state).toBe(CircuitState.Closed);
  });

  it('does not count errors that prove the dependency is up', async () => {
    const rejected = new Error('message too large');
    const { circuit } = breaker({ isFailure: (error) => error !== rejected });
    for (let i = 0; i < 5; i += 1) {
      await expect(circuit.execute(() => Promise.reject(rejected))).rejects.toBe(rejected);
    }
    expect(circuit.state).toBe(CircuitState.Closed);
    expect(circuit.failures).toBe(0);
  });

  it('rejects settings that cannot make a breaker', () => {
    expect(() => new CircuitBreaker({ name: 'x', failureThreshold: 0 })).toThrow(RangeError);
    expect(() => new CircuitBreaker({ name: 'x', cooldownMs: -1 })).toThrow(RangeError);
  });
});
