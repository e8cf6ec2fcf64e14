import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reference data every programme needs before it can be given money: the source kinds the
 * DESIGN names. Written here (not by the seed) so an empty database lists them and a new
 * programme entered through the API alone can hold allocations. Frozen copy of the rows, so a
 * later edit of CORE_SOURCE_KINDS never changes what this migration did; rows already present
 * (a database seeded before this migration) are left alone.
 */
const KINDS = [
  ['LGF', 'Local Growth Fund award', 'Confirmed Local Growth Fund award', true, false, 1],
  [
    'LGF_PRECOMMITTED',
    'Previously committed growth funding',
    'Growth funding the Government committed before the deal (e.g. major transport schemes)',
    true,
    false,
    2,
  ],
  [
    'LGF_PROVISIONAL',
    'Provisional Local Growth Fund allocation',
    'Provisional allocation for projects starting in 2016/17 and beyond, subject to conditions',
    true,
    false,
    3,
  ],
  ['LOCAL_MATCH', 'Local partners’ match funding', 'Money from the LEP’s partners', true, true, 4],
  ['PRIVATE_MATCH', 'Private sector match funding', 'Private-sector contributions', true, true, 5],
  ['REVENUE_GRANT', 'Revenue grant', 'Separate revenue funding (outside the capital totals)', false, false, 6],
] as const;

export class CoreSourceKinds1781000000000 implements MigrationInterface {
  name = 'CoreSourceKinds1781000000000';

  async up(q: QueryRunner): Promise<void> {
    const have = new Set(((await q.query('SELECT code FROM source_kind')) as { code: string }[]).map((r) => r.code));
    const pg = q.connection.driver.options.type === 'postgres';
    for (const k of KINDS.filter((x) => !have.has(x[0]))) {
      const marks = pg ? '$1, $2, $3, $4, $5, $6' : '?, ?, ?, ?, ?, ?';
      await q.query(
        `INSERT INTO source_kind (code, label, description, capital, is_match, position) VALUES (${marks})`,
        pg ? [...k] : k.map((v) => (typeof v === 'boolean' ? Number(v) : v)),
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    // Allocations may refer to these kinds by then; removing reference data would orphan them.
    void q;
  }
}
