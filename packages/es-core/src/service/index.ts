export * from './http';
export * from './http/http-config';
export * from './observability/health';
export * from './observability/metrics';
export * from './observability/shutdown';
export * from './lifecycle/start-service';
export * from './lifecycle/exit-on-start-failure';
