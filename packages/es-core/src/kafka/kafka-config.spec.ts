import { Writable } from 'node:stream';
import { logLevel } from 'kafkajs';
import winston from 'winston';
import { ConfigurationError, loadConfig } from '../core/config/environment';
import { kafkaConfigShape, winstonLogCreator } from './kafka-config';

describe('kafkaConfigShape', () => {
  it('has working defaults', () => {
    expect(loadConfig(kafkaConfigShape, {})).toEqual({
      REDPANDA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_CLIENT_ID: 'scylla-es',
      KAFKA_TOPIC_PARTITIONS: 3,
      KAFKA_TOPIC_REPLICATION_FACTOR: 1,
      KAFKA_REQUEST_TIMEOUT_MS: 30_000,
      KAFKA_CONNECTION_TIMEOUT_MS: 3_000,
      KAFKA_MAX_MESSAGE_BYTES: 1_000_000,
      KAFKA_RETRIES: 3,
      KAFKA_LOG_LEVEL: 'info',
    });
  });

  it('parses a broker list and numbers from the environment', () => {
    const config = loadConfig(kafkaConfigShape, {
      REDPANDA_BROKERS: 'redpanda-0, redpanda-1:19092',
      KAFKA_TOPIC_PARTITIONS: '12',
      KAFKA_CLIENT_ID: 'cdc-relay',
    });
    expect(config.REDPANDA_BROKERS).toEqual(['redpanda-0:9092', 'redpanda-1:19092']);
    expect(config.KAFKA_TOPIC_PARTITIONS).toBe(12);
    expect(config.KAFKA_CLIENT_ID).toBe('cdc-relay');
  });

  it('names every bad variable', () => {
    const env = { KAFKA_TOPIC_PARTITIONS: '0', REDPANDA_BROKERS: 'a b', KAFKA_LOG_LEVEL: 'loud' };
    const failure = (() => {
      try {
        return loadConfig(kafkaConfigShape, env);
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(ConfigurationError);
    const problems = (failure as ConfigurationError).problems.map((problem) => problem.split(/[.:]/)[0]);
    expect(problems.sort()).toEqual(['KAFKA_LOG_LEVEL', 'KAFKA_TOPIC_PARTITIONS', 'REDPANDA_BROKERS']);
  });
});

describe('winstonLogCreator', () => {
  it('writes kafkajs log entries as winston JSON lines with the kafkajs namespace', () => {
    const lines: string[] = [];
    const logger = winston.createLogger({
      level: 'debug',
      format: winston.format.json(),
      transports: [
        new winston.transports.Stream({
          stream: new Writable({
            write(chunk: Buffer, _encoding, done) {
              lines.push(chunk.toString());
              done();
            },
          }),
        }),
      ],
    });
    const log = winstonLogCreator(logger)(logLevel.INFO);
    log({
      namespace: 'Connection',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: '2025-01-01T00:00:00.000Z', logger: 'kafkajs', message: 'Connection error', broker: 'localhost:9092' },
    });
    log({ namespace: 'Producer', level: logLevel.WARN, label: 'WARN', log: { timestamp: 't', message: 'slow' } });
    const [error, warning] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(error).toEqual({
      level: 'error',
      message: 'Connection error',
      component: 'kafkajs',
      kafkaNamespace: 'Connection',
      broker: 'localhost:9092',
    });
    expect(warning).toMatchObject({ level: 'warn', kafkaNamespace: 'Producer' });
  });
});
