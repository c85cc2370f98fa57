export * from './config';
export * from './service';
export { openApiDocument } from './http/openapi';
