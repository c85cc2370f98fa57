import { splitStatements } from './migrations';

describe('splitting a CQL file into statements', () => {
  it('splits on semicolons that end a line and drops comment lines', () => {
    const cql = `-- the journal
CREATE TABLE a (id int PRIMARY KEY);
// another style of comment
CREATE TABLE b (
  id int PRIMARY KEY
) WITH comment = 'x; y';

`;
    expect(splitStatements(cql)).toEqual([
      'CREATE TABLE a (id int PRIMARY KEY)',
      "CREATE TABLE b (\n  id int PRIMARY KEY\n) WITH comment = 'x; y'",
    ]);
  });

  it('accepts a last statement without a trailing newline', () => {
    expect(splitStatements('SELECT 1;')).toEqual(['SELECT 1']);
  });
});
