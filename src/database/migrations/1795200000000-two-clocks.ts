import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from './columns';

/**
 * Two clocks (issue 16): programme time decides which quarter a change or a return belongs to;
 * wall-clock time stays recorded beside it.
 * - programme.as_of_date: the programme's own "today" (null: the wall-clock date); a replayed
 *   history (the demo) sets the date its story stands at.
 * - programme.return_due_months: a return is due this many months after its quarter ends (null: one).
 * - return_version.submitted_on: the programme date of the submission (submitted_at stays the
 *   wall-clock instant). Existing rows take the date of their wall-clock instant.
 * - change_request.decided_quarter: the programme quarter a decision belongs to. Existing
 *   decisions take the quarter that was being reported when they were made: the earliest quarter
 *   whose first return was submitted after them, else the programme's reporting quarter now.
 */
export class TwoClocks1795200000000 implements MigrationInterface {
  name = 'TwoClocks1795200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('programme', [
      new TableColumn(col.str('as_of_date', 10, true)),
      new TableColumn(col.int('return_due_months', true)),
    ]);
    await q.addColumn('return_version', new TableColumn(col.str('submitted_on', 10, true)));
    await q.query('UPDATE return_version SET submitted_on = SUBSTR(submitted_at, 1, 10)');
    await q.addColumn('change_request', new TableColumn(col.str('decided_quarter', 10, true)));
    await backfillDecidedQuarters(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('change_request', 'decided_quarter');
    await q.dropColumn('return_version', 'submitted_on');
    await q.dropColumn('programme', 'return_due_months');
    await q.dropColumn('programme', 'as_of_date');
  }
}

const QUARTER = /^(\d{4})-(\d{2}) Q([1-4])$/;
const index = (code: string) => {
  const m = QUARTER.exec(code)!;
  return Number(m[1]) * 4 + Number(m[3]) - 1;
};
const code = (i: number) => {
  const y = Math.floor(i / 4);
  return `${y}-${String((y + 1) % 100).padStart(2, '0')} Q${(i % 4) + 1}`;
};
/** The fiscal quarter holding a date (self-contained: a migration never changes with the app's code). */
const quarterOfDate = (date: string) => {
  const [y, m] = date.split('-').map(Number);
  return m >= 4 ? y * 4 + Math.floor((m - 4) / 3) : (y - 1) * 4 + 3;
};

async function backfillDecidedQuarters(q: QueryRunner): Promise<void> {
  const changes: Record<string, unknown>[] = await q.manager
    .createQueryBuilder()
    .from('change_request', 'c')
    .select(['c.id AS id', 'c.programme_id AS programme_id', 'c.decided_at AS decided_at'])
    .where('c.decided_at IS NOT NULL')
    .getRawMany();
  if (!changes.length) return;
  const programmes: Record<string, unknown>[] = await q.manager
    .createQueryBuilder()
    .from('programme', 'p')
    .select(['p.id AS id', 'p.first_quarter AS first_quarter', 'p.ends_on AS ends_on'])
    .getRawMany();
  const firsts: Record<string, unknown>[] = await q.manager
    .createQueryBuilder()
    .from('return_version', 'r')
    .select(['r.programme_id AS programme_id', 'r.quarter AS quarter', 'r.submitted_at AS submitted_at'])
    .where('r.version = 1')
    .getRawMany();
  for (const c of changes) {
    const pid = Number(c.programme_id);
    const p = programmes.find((x) => Number(x.id) === pid);
    if (!p) continue;
    const decidedAt = String(c.decided_at);
    const returns = firsts
      .filter((r) => Number(r.programme_id) === pid)
      .map((r) => ({ i: index(String(r.quarter)), at: String(r.submitted_at) }));
    const later = returns.filter((r) => r.at > decidedAt).map((r) => r.i);
    let i: number;
    if (later.length) i = Math.min(...later);
    else {
      const submitted = new Set(returns.map((r) => r.i));
      const last = quarterOfDate(String(p.ends_on));
      i = index(String(p.first_quarter));
      while (submitted.has(i) && i < last) i++;
    }
    const [a, b] = q.connection.options.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
    await q.query(`UPDATE change_request SET decided_quarter = ${a} WHERE id = ${b}`, [code(i), Number(c.id)]);
  }
}
