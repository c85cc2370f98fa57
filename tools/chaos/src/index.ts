export * from './settings';
export * from './storm';
export * from './report';
export * from './stack/stack';
export * from './stack/local-stack';
export * from './stack/compose-stack';
