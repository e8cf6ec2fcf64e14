import type { EntityManager } from 'typeorm';

export type DbKind = 'sqlite' | 'postgres';

/**
 * Bound-variable limits per statement: SQLite before 3.32 allows 999, later 32766;
 * PostgreSQL's wire protocol 65535. We stay under the limit of the engine we talk to.
 */
export const VARIABLE_LIMITS = { sqliteLegacy: 999, sqlite: 32766, postgres: 65535 } as const;

/** Detected once per database: the bundled SQLite of sqlite3 6 is far newer than 3.32. */
export async function variableLimit(m: EntityManager, kind: DbKind): Promise<number> {
  if (kind === 'postgres') return VARIABLE_LIMITS.postgres;
  const rows: { v: string }[] = await m.query('SELECT sqlite_version() AS v');
  const [maj, min] = String(rows[0]?.v ?? '3.0')
    .split('.')
    .map(Number);
  return maj > 3 || (maj === 3 && min >= 32) ? VARIABLE_LIMITS.sqlite : VARIABLE_LIMITS.sqliteLegacy;
}

/** Rows per statement for a table of `columns` columns under `limit` variables (capped: very long statements parse slowly). */
export function chunkSize(columns: number, limit: number, cap = 2000): number {
  return Math.max(1, Math.min(cap, Math.floor(limit / columns)));
}

export interface BulkInserter {
  readonly kind: DbKind;
  readonly limit: number;
  /** Inserts rows (arrays in `columns` order) with multi-row statements; returns the row count. */
  insert(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<number>;
  /** SELECT with an IN list that may exceed the variable limit: one query per chunk, never per row. */
  selectIn<T>(sqlBefore: string, values: readonly unknown[], sqlAfter?: string): Promise<T[]>;
}

/** Booleans go to SQLite as 0/1 so both databases store the same values. */
function bind(kind: DbKind, v: unknown): unknown {
  if (kind === 'sqlite' && typeof v === 'boolean') return v ? 1 : 0;
  return v === undefined ? null : v;
}

/** PostgreSQL: rows per statement when each column travels as one array parameter. */
export const PG_ARRAY_ROWS = 10000;

function checkWidth(table: string, columns: readonly string[], row: readonly unknown[], index: number): void {
  if (row.length !== columns.length)
    throw new Error(`${table}: row ${index} has ${row.length} values for ${columns.length} columns`);
}

export interface InserterOptions {
  /** Called with the rows each statement wrote (progress bars). */
  onRows?: (n: number) => void;
  /**
   * At most this many rows per INSERT, as a VALUES list on both databases: 1 loads a deal row
   * by row (the seed's small deals). Without it, rows go in as few statements as the engine allows.
   */
  rowsPerStatement?: number;
}

export function createInserter(
  m: EntityManager,
  kind: DbKind,
  limit: number,
  { onRows, rowsPerStatement }: InserterOptions = {},
): BulkInserter {
  const ph = (i: number) => (kind === 'postgres' ? `$${i}` : '?');
  // PostgreSQL: each table's column types, read once from the catalogue (for the array casts).
  const pgTypes = new Map<string, Map<string, string>>();
  const typesOf = async (table: string): Promise<Map<string, string>> => {
    let t = pgTypes.get(table);
    if (!t) {
      const rows: { name: string; type: string }[] = await m.query(
        `SELECT a.attname AS name, format_type(a.atttypid, NULL) AS type FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
        [table],
      );
      pgTypes.set(table, (t = new Map(rows.map((r) => [r.name, r.type]))));
    }
    return t;
  };
  /**
   * PostgreSQL: one statement per 10,000 rows, each column one array parameter, unnested
   * server-side. A multi-row VALUES list of thousands of placeholders is parsed and planned
   * afresh every time; this statement is the same small text whatever the row count.
   */
  const insertPg = async (table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<number> => {
    const types = await typesOf(table);
    const casts = columns.map((c, i) => {
      const type = types.get(c);
      if (!type) throw new Error(`${table}: no column "${c}"`);
      return `$${i + 1}::${type}[]`;
    });
    const sql = `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) SELECT * FROM unnest(${casts.join(', ')})`;
    for (let start = 0; start < rows.length; start += PG_ARRAY_ROWS) {
      const chunk = rows.slice(start, start + PG_ARRAY_ROWS);
      const arrays = columns.map(() => new Array<unknown>(chunk.length));
      for (let r = 0; r < chunk.length; r++) {
        const row = chunk[r];
        checkWidth(table, columns, row, start + r);
        for (let c = 0; c < columns.length; c++) arrays[c][r] = bind(kind, row[c]);
      }
      await m.query(sql, arrays);
      onRows?.(chunk.length);
    }
    return rows.length;
  };
  return {
    kind,
    limit,
    async insert(table, columns, rows) {
      if (rows.length === 0) return 0;
      if (kind === 'postgres' && rowsPerStatement === undefined) return insertPg(table, columns, rows);
      const size = Math.min(chunkSize(columns.length, limit), rowsPerStatement ?? Infinity);
      const head = `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
      for (let start = 0; start < rows.length; start += size) {
        const chunk = rows.slice(start, start + size);
        const params: unknown[] = new Array(chunk.length * columns.length);
        const tuples: string[] = new Array(chunk.length);
        let n = 0;
        for (let r = 0; r < chunk.length; r++) {
          const row = chunk[r];
          checkWidth(table, columns, row, start + r);
          const marks: string[] = new Array(columns.length);
          for (let c = 0; c < columns.length; c++) {
            params[n] = bind(kind, row[c]);
            n++;
            marks[c] = ph(n);
          }
          tuples[r] = `(${marks.join(', ')})`;
        }
        await m.query(head + tuples.join(', '), params);
        onRows?.(chunk.length);
      }
      return rows.length;
    },
    async selectIn<T>(sqlBefore: string, values: readonly unknown[], sqlAfter = '') {
      const out: T[] = [];
      const size = Math.min(limit, 10000);
      for (let start = 0; start < values.length; start += size) {
        const chunk = values.slice(start, start + size);
        const marks = chunk.map((_, i) => ph(i + 1)).join(', ');
        const rows: T[] = await m.query(
          `${sqlBefore} (${marks}) ${sqlAfter}`,
          chunk.map((v) => bind(kind, v)),
        );
        out.push(...rows);
      }
      return out;
    },
  };
}
