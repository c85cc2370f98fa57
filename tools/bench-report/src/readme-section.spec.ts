import { MissingMarkersError } from './errors';
import { replaceSection } from './readme-section';

describe('the README’s table section', () => {
  it('replaces what lies between the markers and keeps them for the next run', () => {
    const readme = 'intro\n<!-- bench-report:begin -->\nold table\n<!-- bench-report:end -->\nrest\n';
    const once = replaceSection('README.md', readme, 'new table\n');
    expect(once).toBe('intro\n<!-- bench-report:begin -->\nnew table\n<!-- bench-report:end -->\nrest\n');
    expect(replaceSection('README.md', once, 'newer')).toBe('intro\n<!-- bench-report:begin -->\nnewer\n<!-- bench-report:end -->\nrest\n');
  });

  it('refuses a README without the markers', () => {
    expect(() => replaceSection('README.md', 'no markers here', 'table')).toThrow(MissingMarkersError);
  });
});
