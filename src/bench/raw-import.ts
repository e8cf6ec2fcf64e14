import { parsePounds } from '../common/money';
import { CORE_SOURCE_KINDS } from '../funding/source-kind.entity';
import type { DealSeed, SeedProvenance } from '../deal-loading/deal-seed.types';
import { parsePeriod } from '../funding/period';
import type { RawDb } from './raw-driver';

/**
 * The raw import baseline: the same rows in one transaction on the raw driver, into empty deal
 * tables. SQLite: one prepared INSERT per table, run per row (sqlite3 queues the runs without
 * waiting for each). PostgreSQL: one prepared INSERT … SELECT FROM unnest(arrays) per table,
 * the fastest insert pg offers without COPY.
 */
type Col = [name: string, pgType: string];

const PROV: Col[] = [
  ['source_document', 'varchar'],
  ['source_section', 'varchar'],
  ['source_quote', 'text'],
  ['source_printed', 'varchar'],
  ['source_illustrative', 'bool'],
];
const prov = (s: SeedProvenance | undefined, ill: boolean) => [
  s?.document ?? null,
  s?.section ?? null,
  s?.quote ?? null,
  s?.printed ?? null,
  ill,
];

async function insertAll(
  raw: RawDb,
  table: string,
  cols: Col[],
  rows: unknown[][],
  returning: string | null,
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  if (raw.kind === 'postgres') {
    const arrays = cols.map((_, c) => rows.map((r) => r[c]));
    const sql = `INSERT INTO ${table} (${cols.map((c) => `"${c[0]}"`).join(', ')}) SELECT * FROM unnest(${cols.map((c, i) => `$${i + 1}::${c[1]}[]`).join(', ')})${returning ? ` RETURNING id, ${returning}` : ''}`;
    return raw.all(sql, arrays);
  }
  const sql = `INSERT INTO ${table} (${cols.map((c) => `"${c[0]}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
  const bound = rows.map((r) => r.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
  const ids = await Promise.all(bound.map((r) => raw.run(sql, r)));
  // SQLite gives each row's id; map it back to the row's key columns like RETURNING would.
  if (!returning) return [];
  const keys = returning.split(', ');
  return ids.map((id, i) =>
    Object.fromEntries([['id', id], ...keys.map((k) => [k, rows[i][cols.findIndex((c) => c[0] === k)]])]),
  );
}

const key = (pid: unknown, code: unknown) => `${String(pid)}\u0000${String(code)}`;

export async function rawImportDeals(
  raw: RawDb,
  seeds: readonly DealSeed[],
  now = new Date().toISOString(),
): Promise<void> {
  await raw.exec('BEGIN');
  try {
    if (raw.kind === 'sqlite') {
      for (const k of CORE_SOURCE_KINDS)
        await raw.run(
          `INSERT OR IGNORE INTO source_kind (code, label, description, capital, is_match, position) VALUES (?, ?, ?, ?, ?, ?)`,
          [k.code, k.label, k.description, k.capital ? 1 : 0, k.isMatch ? 1 : 0, k.position],
        );
    } else {
      await raw.all(
        `INSERT INTO source_kind (code, label, description, capital, is_match, position) SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::text[], $4::bool[], $5::bool[], $6::int[]) ON CONFLICT (code) DO NOTHING`,
        [
          CORE_SOURCE_KINDS.map((k) => k.code),
          CORE_SOURCE_KINDS.map((k) => k.label),
          CORE_SOURCE_KINDS.map((k) => k.description),
          CORE_SOURCE_KINDS.map((k) => k.capital),
          CORE_SOURCE_KINDS.map((k) => k.isMatch),
          CORE_SOURCE_KINDS.map((k) => k.position),
        ],
      );
    }
    const orgs = new Map<string, NonNullable<DealSeed['organisations']>[number]>();
    for (const s of seeds) for (const o of s.organisations ?? []) if (!orgs.has(o.code)) orgs.set(o.code, o);
    const orgIds = new Map<string, number>();
    for (const r of await insertAll(
      raw,
      'organisation',
      [
        ['code', 'varchar'],
        ['name', 'varchar'],
        ['kind', 'varchar'],
        ['identifier', 'varchar'],
        ['identifier_assumed', 'bool'],
      ],
      [...orgs.values()].map((o) => [o.code, o.name, o.kind, o.identifier ?? null, o.identifierAssumed ?? false]),
      'code',
    ))
      orgIds.set(r.code as string, Number(r.id));
    const progIds = new Map<string, number>();
    const progRows = seeds.map(({ programme: p }) => [
      p.code,
      p.name,
      p.description ?? null,
      p.lep ? (orgIds.get(p.lep) ?? null) : null,
      p.startsOn,
      p.endsOn,
      p.firstQuarter,
      p.asOfDate ?? null,
      null,
      p.synthetic ?? false,
    ]);
    for (const r of await insertAll(
      raw,
      'programme',
      [
        ['code', 'varchar'],
        ['name', 'varchar'],
        ['description', 'text'],
        ['lep_organisation_id', 'int'],
        ['starts_on', 'varchar'],
        ['ends_on', 'varchar'],
        ['first_quarter', 'varchar'],
        ['as_of_date', 'varchar'],
        ['rag_thresholds', 'text'],
        ['synthetic', 'bool'],
      ],
      progRows,
      'code',
    ))
      progIds.set(r.code as string, Number(r.id));
    const pid = (s: DealSeed) => progIds.get(s.programme.code)!;
    const ill = (s: DealSeed) => s.illustrative ?? false;
    const ids = async (table: string, cols: Col[], rows: unknown[][]) => {
      const m = new Map<string, number>();
      for (const r of await insertAll(raw, table, cols, rows, 'programme_id, code'))
        m.set(key(r.programme_id, r.code), Number(r.id));
      return m;
    };
    const themes = await ids(
      'theme',
      [
        ['programme_id', 'int'],
        ['code', 'varchar'],
        ['name', 'varchar'],
        ['description', 'text'],
        ['position', 'int'],
        ...PROV,
      ],
      seeds.flatMap((s) =>
        s.themes.map((t, i) => [pid(s), t.code, t.name, t.description ?? null, i + 1, ...prov(t.source, ill(s))]),
      ),
    );
    const th = (s: DealSeed, c: string | undefined) => (c ? themes.get(key(pid(s), c))! : null);
    const projects = await ids(
      'project',
      [
        ['programme_id', 'int'],
        ['theme_id', 'int'],
        ['code', 'varchar'],
        ['name', 'varchar'],
        ['description', 'text'],
        ['location', 'varchar'],
        ['status', 'varchar'],
        ['lead_organisation_id', 'int'],
        ...PROV,
      ],
      seeds.flatMap((s) =>
        s.projects.map((x) => [
          pid(s),
          th(s, x.theme),
          x.code,
          x.name,
          x.description ?? null,
          x.location ?? null,
          x.status ?? 'approved',
          x.leadBody ? orgIds.get(x.leadBody)! : null,
          ...prov(x.source, ill(s)),
        ]),
      ),
    );
    const pools = await ids(
      'project_pool',
      [
        ['programme_id', 'int'],
        ['theme_id', 'int'],
        ['code', 'varchar'],
        ['name', 'varchar'],
        ['description', 'text'],
        ...PROV,
      ],
      seeds.flatMap((s) =>
        (s.pools ?? []).map((x) => [
          pid(s),
          th(s, x.theme),
          x.code,
          x.name,
          x.description ?? null,
          ...prov(x.source, ill(s)),
        ]),
      ),
    );
    await insertAll(
      raw,
      'project_pool_member',
      [
        ['pool_id', 'int'],
        ['project_id', 'int'],
      ],
      seeds.flatMap((s) =>
        (s.pools ?? []).flatMap((x) =>
          x.projects.map((c) => [pools.get(key(pid(s), x.code))!, projects.get(key(pid(s), c))!]),
        ),
      ),
      null,
    );
    await insertAll(
      raw,
      'allocation',
      [
        ['programme_id', 'int'],
        ['source_kind', 'varchar'],
        ['project_id', 'int'],
        ['pool_id', 'int'],
        ['period_kind', 'varchar'],
        ['year_from', 'int'],
        ['year_to', 'int'],
        ['amount_pence', 'bigint'],
        ['commitment_status', 'varchar'],
        ['approval_state', 'varchar'],
        ['description', 'text'],
        ...PROV,
        ['created_at', 'varchar'],
        ['updated_at', 'varchar'],
      ],
      seeds.flatMap((s) =>
        s.allocations.map((a) => {
          const p = parsePeriod(a.period);
          return [
            pid(s),
            a.sourceKind,
            a.project ? projects.get(key(pid(s), a.project))! : null,
            a.pool ? pools.get(key(pid(s), a.pool))! : null,
            p.periodKind,
            p.yearFrom,
            p.yearTo,
            parsePounds(a.amount),
            a.commitmentStatus,
            'approved',
            a.description ?? null,
            ...prov(a.source, ill(s)),
            now,
            now,
          ];
        }),
      ),
      null,
    );
    await insertAll(
      raw,
      'headline_figure',
      [
        ['programme_id', 'int'],
        ['code', 'varchar'],
        ['measure', 'varchar'],
        ['label', 'varchar'],
        ['qualifier', 'varchar'],
        ['unit', 'varchar'],
        ['value', 'bigint'],
        ['precision', 'bigint'],
        ['rule', 'text'],
        ['table_name', 'varchar'],
        ['table_row', 'varchar'],
        ['table_column', 'varchar'],
        ['notes', 'text'],
        ...PROV,
      ],
      seeds.flatMap((s) =>
        s.headlines.map((h) => {
          const pounds = h.unit === 'pounds';
          return [
            pid(s),
            h.code,
            h.measure,
            h.label,
            h.qualifier,
            h.unit,
            pounds ? parsePounds(h.amount) : h.value!,
            pounds ? parsePounds(h.precision) : Number(h.precision),
            JSON.stringify(h.rule),
            h.table?.name ?? null,
            h.table?.row ?? null,
            h.table?.column ?? null,
            h.notes ?? null,
            ...prov(h.source, ill(s)),
          ];
        }),
      ),
      null,
    );
    await raw.exec('COMMIT');
  } catch (e) {
    await raw.exec('ROLLBACK');
    throw e;
  }
}
