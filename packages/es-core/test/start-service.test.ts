import { ConfigurationError, loadConfig } from '../src';
import { cqlConfigShape } from '../src/cql';
import { httpConfigShape, startService, type ServiceDefinition, type StartServiceOptions } from '../src/service';
import { testEngines, uniqueKeyspace } from '../src/testing';

const serviceConfigShape = { ...cqlConfigShape, ...httpConfigShape(0) };
const loadTestConfig = (env: NodeJS.ProcessEnv) => loadConfig(serviceConfigShape, env);
type TestServiceConfig = ReturnType<typeof loadTestConfig>;

const environment = (overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  SCYLLA_NODES: testEngines().cqlContactPoints.join(','),
  SCYLLA_LOCAL_DC: testEngines().cqlLocalDataCenter,
  SCYLLA_KEYSPACE: uniqueKeyspace('startup'),
  PORT: '0',
  LOG_LEVEL: 'silent',
  ...overrides,
});
const options: StartServiceOptions = { collectDefaultMetrics: false };

describe('starting a service', () => {
  it('migrates, wires, serves and becomes ready, then stops its parts last-started first while the database is still open', async () => {
    const steps: string[] = [];
    const definition: ServiceDefinition<TestServiceConfig, StartServiceOptions, { greeting: string }> = {
      name: 'startup-test',
      loadConfig: loadTestConfig,
      migrate: async (client) => {
        await client.execute('SELECT now() FROM system.local');
        steps.push('migrate');
      },
      wire: ({ client, health, stopWith }) => {
        steps.push('wire');
        health.register('worker', async () => ({ progressing: true }));
        stopWith('stop the first part', async () => {
          await client.execute('SELECT now() FROM system.local');
          steps.push('stop the first part');
        });
        stopWith('stop the second part', () => {
          steps.push('stop the second part');
        });
        return {
          routes: (app) => app.get('/greeting', (_req, res) => res.json({ greeting: 'hello' })),
          start: () => steps.push('start'),
          exposed: { greeting: 'hello' },
        };
      },
    };
    const service = await startService(definition, environment(), options);
    try {
      expect(service.greeting).toBe('hello');
      expect(await (await fetch(`${service.url}/greeting`)).json()).toEqual({ greeting: 'hello' });
      const ready = await fetch(`${service.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'up',
        checks: { database: { status: 'up' }, worker: { status: 'up', details: { progressing: true } } },
      });
    } finally {
      await service.close();
    }
    expect(steps).toEqual(['migrate', 'wire', 'start', 'stop the second part', 'stop the first part']);
  });

  it('undoes the parts started before the wiring failed, and fails', async () => {
    const steps: string[] = [];
    const definition: ServiceDefinition<TestServiceConfig, StartServiceOptions, object> = {
      name: 'startup-test',
      loadConfig: loadTestConfig,
      migrate: async () => undefined,
      wire: ({ stopWith }) => {
        stopWith('disconnect the broker', () => {
          steps.push('disconnect the broker');
        });
        throw new Error('the broker is unreachable');
      },
    };
    await expect(startService(definition, environment(), options)).rejects.toThrow('the broker is unreachable');
    expect(steps).toEqual(['disconnect the broker']);
  });

  it('stops at a bad setting before it connects to anything', async () => {
    const definition: ServiceDefinition<TestServiceConfig, StartServiceOptions, object> = {
      name: 'startup-test',
      loadConfig: loadTestConfig,
      migrate: async () => {
        throw new Error('must not be reached');
      },
      wire: () => ({ exposed: {} }),
    };
    await expect(startService(definition, environment({ PORT: 'eighty' }), options)).rejects.toBeInstanceOf(ConfigurationError);
  });
});
