import { checkSettingsDocs, documentedSettings } from './settings-docs';

const page = [
  '# Operations',
  '## Settings',
  '| variable | default | meaning |',
  '|---|---|---|',
  '| `SCYLLA_NODES` | `127.0.0.1:9042` | contact points, see `PORT` |',
  '| `SCYLLA_USERNAME`, `SCYLLA_PASSWORD` | (none) | plain-text authentication |',
  'Prose naming `TEST_ENGINES` is no table row.',
  '## Metrics',
  '| `http_requests_total` | counter |',
  '| `NOT_A_SETTING` | after the section |',
].join('\n');

describe('documentedSettings', () => {
  it('reads the first cell of each table row of the Settings section only', () => {
    expect([...documentedSettings(page)].sort()).toEqual(['SCYLLA_NODES', 'SCYLLA_PASSWORD', 'SCYLLA_USERNAME']);
  });

  it('finds nothing in a page without a Settings section', () => {
    expect(documentedSettings('# Operations\n| `PORT` | 3000 |')).toEqual(new Set());
  });
});

describe('checkSettingsDocs', () => {
  it('accepts a page listing exactly the variables the services read', () => {
    const services = [
      { service: '@scylla-es/a', variables: ['SCYLLA_NODES', 'SCYLLA_USERNAME'] },
      { service: '@scylla-es/b', variables: ['SCYLLA_PASSWORD'] },
    ];
    expect(checkSettingsDocs(services, page)).toEqual([]);
  });

  it('names a variable a service reads that the page misses, and one the page lists that nobody reads', () => {
    const services = [{ service: '@scylla-es/a', variables: ['SCYLLA_NODES', 'SCYLLA_USERNAME', 'SCYLLA_PASSWORD', 'PORT'] }];
    expect(checkSettingsDocs(services, page.replace('`SCYLLA_NODES`', '`SCYLLA_NODE`'))).toEqual([
      'docs/operations.md: SCYLLA_NODES, read by @scylla-es/a, is missing from its settings tables',
      'docs/operations.md: PORT, read by @scylla-es/a, is missing from its settings tables',
      'docs/operations.md: SCYLLA_NODE is in the settings tables but no service reads it',
    ]);
  });
});
