import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * es-core is one package of rooms, each a folder under packages/es-core/src and a subpath export. A room may
 * use the rooms listed as its neighbours and nothing else, so a wrong import fails `pnpm lint` instead of
 * quietly coupling the engine-free core to a database, a broker or a web framework.
 */
const ENGINE_PACKAGES = { cql: 'cassandra-driver', kafka: 'kafkajs', service: 'express' };
const ROOMS = ['core', 'cql', 'cdc', 'kafka', 'service', 'testing'];
// The cdc room reads the database itself, so cassandra-driver comes with the cql room it builds on.
const roomDependencies = {
  core: [],
  cql: ['core'],
  cdc: ['core', 'cql'],
  kafka: ['core'],
  // The service room maps engine failures to problems, so it knows both engines' errors.
  service: ['core', 'cql', 'kafka'],
};

function roomBoundary(room, allowed, files, ignores = []) {
  const forbiddenRooms = ROOMS.filter((other) => other !== room && !allowed.includes(other));
  const forbiddenEngines = Object.entries(ENGINE_PACKAGES)
    .filter(([owner]) => owner !== room && !allowed.includes(owner))
    .map(([, engine]) => engine);
  return {
    files,
    ignores,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: forbiddenEngines.map((name) => ({
            name,
            message: `the ${room} room of es-core does not use ${name}; it belongs in another room`,
          })),
          patterns: [
            {
              regex: `^(\\.\\./)+(${forbiddenRooms.join('|')})(/|$)`,
              message: `the ${room} room of es-core may only import ${['its own files', ...allowed].join(', ')}`,
            },
            { regex: '^@scylla-es/', message: 'inside es-core, import another room by its relative path' },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/target/**', '.engines/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@scylla-es/es-core/(?!(cql|cdc|kafka|service|testing)$)',
              message: 'es-core is used through its rooms: @scylla-es/es-core, /cql, /cdc, /kafka, /service, /testing',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/domain/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: Object.values(ENGINE_PACKAGES).map((name) => ({ name, message: 'the domain is engine-free' })),
          patterns: [
            {
              regex: '^@scylla-es/es-core/(?!testing$)',
              message: 'the domain uses only the engine-free core of es-core (and /testing in specs)',
            },
          ],
        },
      ],
    },
  },
  // A room's specs may use the testing room too (in-memory ports, contract suites); its code may not.
  ...Object.entries(roomDependencies).flatMap(([room, allowed]) => [
    roomBoundary(room, allowed, [`packages/es-core/src/${room}/**/*.ts`], ['**/*.spec.ts']),
    roomBoundary(room, [...allowed, 'testing'], [`packages/es-core/src/${room}/**/*.spec.ts`]),
  ]),
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', '**/bench/**/*.ts', '**/scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
