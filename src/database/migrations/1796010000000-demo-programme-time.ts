import { MigrationInterface, QueryRunner } from 'typeorm';

/** Who the demo loader writes as (demo/demo-changes.ts, demo/demo.service.ts), copied: a migration never changes with the app. */
const DEMO_PROPOSER = 'demo programme manager (illustrative)';
const DEMO_SUBMITTER = 'demo finance officer (illustrative)';

/**
 * Puts the illustrative demo into programme time in a database that held it before the two
 * clocks (1795200000000), as a fresh load does.
 *
 * That migration placed each decision in the earliest quarter whose first return was submitted
 * after it, comparing `decided_at` with `submitted_at`. Right for real requests (both are
 * wall-clock instants), wrong for the demo: its decisions carry the story's own dates (2015,
 * 2016) while a demo loaded before the two clocks stamped its returns with the wall-clock
 * instant of loading, so every demo decision landed in 2015-16 Q1 and every demo return was
 * "submitted" years late. A fresh load replays each decision at its own date before any return
 * is submitted, so it belongs to that date's quarter (periods/programme-clock.ts
 * `decisionQuarter`), kept within the programme's quarters; it submits each demo return on its
 * due date; and it sets the programme's as-of date to the due date of the quarter it leaves
 * open. This recomputes those values for the demo's rows (recognised by the demo's own names and
 * the illustrative flag), which also leaves a fresh load's rows as they are; real requests and
 * returns are not touched.
 */
export class DemoProgrammeTime1796010000000 implements MigrationInterface {
  name = 'DemoProgrammeTime1796010000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const [a, b] = pg ? ['$1', '$2'] : ['?', '?'];
    const yes = pg ? 'TRUE' : '1';
    const programmes = new Map(
      (
        (await q.query('SELECT id, first_quarter, ends_on, as_of_date, return_due_months FROM programme')) as Record<
          string,
          unknown
        >[]
      ).map((p) => [Number(p.id), p]),
    );

    const decisions: Record<string, unknown>[] = await q.query(
      `SELECT id, programme_id, decided_at FROM change_request
        WHERE decided_at IS NOT NULL AND (illustrative = ${yes} OR created_by = '${DEMO_PROPOSER}')`,
    );
    for (const c of decisions) {
      const p = programmes.get(Number(c.programme_id));
      if (!p) continue;
      const first = index(String(p.first_quarter));
      const last = quarterOfDate(String(p.ends_on));
      const i = Math.min(last, Math.max(first, quarterOfDate(String(c.decided_at).slice(0, 10))));
      await q.query(`UPDATE change_request SET decided_quarter = ${a} WHERE id = ${b}`, [code(i), Number(c.id)]);
    }

    const versions: Record<string, unknown>[] = await q.query(
      'SELECT id, programme_id, quarter, submitted_by FROM return_version',
    );
    for (const v of versions.filter((x) => x.submitted_by === DEMO_SUBMITTER)) {
      const p = programmes.get(Number(v.programme_id));
      if (!p) continue;
      await q.query(`UPDATE return_version SET submitted_on = ${a} WHERE id = ${b}`, [
        dueDate(index(String(v.quarter)), p.return_due_months),
        Number(v.id),
      ]);
    }

    // A programme whose every return is the demo's, still on the wall clock: its story stands at
    // the due date of the quarter it leaves open, as a fresh load sets it.
    for (const [id, p] of programmes) {
      const mine = versions.filter((v) => Number(v.programme_id) === id);
      if (p.as_of_date !== null || !mine.length || mine.some((v) => v.submitted_by !== DEMO_SUBMITTER)) continue;
      const submitted = new Set(mine.map((v) => index(String(v.quarter))));
      const last = quarterOfDate(String(p.ends_on));
      let i = index(String(p.first_quarter));
      while (submitted.has(i) && i < last) i++;
      await q.query(`UPDATE programme SET as_of_date = ${a} WHERE id = ${b}`, [dueDate(i, p.return_due_months), id]);
    }
  }

  async down(): Promise<void> {
    // Data only: the values it replaced were wrong, and nothing in the schema changed.
  }
}

// Self-contained fiscal arithmetic: a quarter as year * 4 + (Q - 1), the year being the one it starts in.
const QUARTER = /^(\d{4})-(\d{2}) Q([1-4])$/;
const index = (c: string) => {
  const m = QUARTER.exec(c)!;
  return Number(m[1]) * 4 + Number(m[3]) - 1;
};
const code = (i: number) => {
  const y = Math.floor(i / 4);
  return `${y}-${String((y + 1) % 100).padStart(2, '0')} Q${(i % 4) + 1}`;
};
const quarterOfDate = (date: string) => {
  const [y, m] = date.split('-').map(Number);
  return m >= 4 ? y * 4 + Math.floor((m - 4) / 3) : (y - 1) * 4 + 3;
};
/** The last day of the month `months` (null: one) after the quarter's last month. */
const dueDate = (i: number, months: unknown) => {
  const y = Math.floor(i / 4);
  // Q1 ends in June (month index 5 of its year), Q4 in March of the next.
  const endMonth = y * 12 + 5 + (i % 4) * 3;
  const due = endMonth + (months === null || months === undefined ? 1 : Number(months));
  const dy = Math.floor(due / 12);
  const dm = (due % 12) + 1;
  const day = new Date(Date.UTC(dy, dm, 0)).getUTCDate();
  return `${dy}-${String(dm).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
};
