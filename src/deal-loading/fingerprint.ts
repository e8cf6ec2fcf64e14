import { createHash } from 'node:crypto';

/** Runs one SQL statement and returns its rows (TypeORM, or a raw driver in the benchmarks). */
export type QueryFn = (sql: string) => Promise<Record<string, unknown>[]>;

const P = 'x.source_document, x.source_section, x.source_quote, x.source_printed, x.source_illustrative';

/** Every deal table by codes, not ids, so two loads of the same deals compare equal. */
const CANONICAL: Record<string, string> = {
  organisation: 'SELECT x.code, x.name, x.kind, x.identifier, x.identifier_assumed FROM organisation x',
  programme: `SELECT x.code, x.name, x.description, o.code AS lep, x.starts_on, x.ends_on, x.first_quarter, x.rag_thresholds, x.synthetic
                FROM programme x LEFT JOIN organisation o ON o.id = x.lep_organisation_id`,
  theme: `SELECT g.code AS programme, x.code, x.name, x.description, x."position", ${P} FROM theme x JOIN programme g ON g.id = x.programme_id`,
  project: `SELECT g.code AS programme, t.code AS theme, x.code, x.name, x.description, x.location, x.status, o.code AS lead, ${P}
              FROM project x JOIN programme g ON g.id = x.programme_id LEFT JOIN theme t ON t.id = x.theme_id LEFT JOIN organisation o ON o.id = x.lead_organisation_id`,
  project_pool: `SELECT g.code AS programme, t.code AS theme, x.code, x.name, x.description, ${P}
                   FROM project_pool x JOIN programme g ON g.id = x.programme_id LEFT JOIN theme t ON t.id = x.theme_id`,
  project_pool_member: `SELECT g.code AS programme, l.code AS pool, p.code AS project
                          FROM project_pool_member x JOIN project_pool l ON l.id = x.pool_id JOIN project p ON p.id = x.project_id JOIN programme g ON g.id = l.programme_id`,
  allocation: `SELECT g.code AS programme, x.source_kind, p.code AS project, l.code AS pool, x.period_kind, x.year_from, x.year_to, x.amount_pence,
                      x.commitment_status, x.approval_state, x.description, ${P}
                 FROM allocation x JOIN programme g ON g.id = x.programme_id LEFT JOIN project p ON p.id = x.project_id LEFT JOIN project_pool l ON l.id = x.pool_id`,
  headline_figure: `SELECT g.code AS programme, x.code, x.measure, x.label, x.qualifier, x.unit, x.value, x."precision", x.rule, x.table_name, x.table_row,
                           x.table_column, x.notes, ${P}
                      FROM headline_figure x JOIN programme g ON g.id = x.programme_id`,
};

/** SQLite gives 0/1 and numbers, PostgreSQL booleans and bigint strings: one text form for both. */
function norm(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v === true) return '1';
  if (v === false) return '0';
  return String(v);
}

export interface Fingerprint {
  sha256: string;
  counts: Record<string, number>;
}

/** SHA-256 of every deal table's canonical rows (sorted in JS: collations differ between databases). */
export async function dealFingerprint(query: QueryFn): Promise<Fingerprint> {
  const h = createHash('sha256');
  const counts: Record<string, number> = {};
  for (const [table, sql] of Object.entries(CANONICAL)) {
    const rows = (await query(sql)).map((r) => JSON.stringify(Object.values(r).map(norm))).sort();
    counts[table] = rows.length;
    h.update(`${table}\n${rows.join('\n')}\n`);
  }
  return { sha256: h.digest('hex'), counts };
}
