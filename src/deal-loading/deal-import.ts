import { DuplicateError } from '../common/errors';
import { parsePounds } from '../common/money';
import { CORE_SOURCE_KINDS } from '../funding/source-kind.entity';
import type { DealSeed, SeedProvenance } from './deal-seed.types';
import { parsePeriod } from '../funding/period';
import type { BulkInserter } from './bulk-insert';

/** Codes to ids for one imported programme (what seed section handlers need). */
export interface ImportedDeal {
  seed: DealSeed;
  programmeId: number;
  themes: Map<string, number>;
  projects: Map<string, number>;
  pools: Map<string, number>;
  organisations: Map<string, number>;
}

export interface DealImportResult {
  deals: ImportedDeal[];
  /** Rows counted as the row-by-row seed counts them (new organisations, programme, themes, projects, pools, allocations, headlines). */
  rows: number;
}

const PROV = ['source_document', 'source_section', 'source_quote', 'source_printed', 'source_illustrative'];
const prov = (s: SeedProvenance | undefined, illustrative: boolean) => [
  s?.document ?? null,
  s?.section ?? null,
  s?.quote ?? null,
  s?.printed ?? null,
  illustrative,
];

/** Rows a set of deals will insert, for progress bars. */
export function dealRowCount(seeds: readonly DealSeed[]): number {
  let n = 0;
  for (const s of seeds) {
    n +=
      1 +
      s.themes.length +
      s.projects.length +
      s.allocations.length +
      s.headlines.length +
      (s.organisations?.length ?? 0);
    for (const p of s.pools ?? []) n += 1 + p.projects.length;
  }
  return n;
}

/**
 * Inserts whole deals with multi-row statements: one pass per table for every deal at
 * once, ids read back with one SELECT per table (chunked), never a round trip per row.
 * Runs inside the caller's transaction; the caller writes the one audit entry.
 */
export async function importDeals(
  ins: BulkInserter,
  seeds: readonly DealSeed[],
  now = new Date().toISOString(),
): Promise<DealImportResult> {
  let rows = 0;
  await ensureSourceKinds(ins);

  // Organisations are shared across programmes (a council leads projects in several deals).
  const orgSeeds = new Map<string, NonNullable<DealSeed['organisations']>[number]>();
  for (const s of seeds) for (const o of s.organisations ?? []) if (!orgSeeds.has(o.code)) orgSeeds.set(o.code, o);
  const orgIds = new Map<string, number>();
  const codes = [...orgSeeds.keys()];
  for (const r of await ins.selectIn<{ id: number | string; code: string }>(
    'SELECT id, code FROM organisation WHERE code IN',
    codes,
  ))
    orgIds.set(r.code, Number(r.id));
  const newOrgs = [...orgSeeds.values()].filter((o) => !orgIds.has(o.code));
  rows += await ins.insert(
    'organisation',
    ['code', 'name', 'kind', 'identifier', 'identifier_assumed'],
    newOrgs.map((o) => [o.code, o.name, o.kind, o.identifier ?? null, o.identifierAssumed ?? false]),
  );
  for (const r of await ins.selectIn<{ id: number | string; code: string }>(
    'SELECT id, code FROM organisation WHERE code IN',
    newOrgs.map((o) => o.code),
  ))
    orgIds.set(r.code, Number(r.id));

  const progCodes = seeds.map((s) => s.programme.code);
  const taken = await ins.selectIn<{ code: string }>('SELECT code FROM programme WHERE code IN', progCodes);
  if (taken.length) throw new DuplicateError('programme', 'code', taken[0].code);
  rows += await ins.insert(
    'programme',
    [
      'code',
      'name',
      'description',
      'lep_organisation_id',
      'starts_on',
      'ends_on',
      'monitoring_ends_on',
      'first_quarter',
      'as_of_date',
      'rag_thresholds',
      'synthetic',
    ],
    seeds.map(({ programme: p }) => [
      p.code,
      p.name,
      p.description ?? null,
      p.lep ? (orgIds.get(p.lep) ?? null) : null,
      p.startsOn,
      p.endsOn,
      p.monitoringEndsOn ?? null,
      p.firstQuarter,
      p.asOfDate ?? null,
      null,
      p.synthetic ?? false,
    ]),
  );
  const progIds = new Map<string, number>();
  for (const r of await ins.selectIn<{ id: number | string; code: string }>(
    'SELECT id, code FROM programme WHERE code IN',
    progCodes,
  ))
    progIds.set(r.code, Number(r.id));
  const deals: ImportedDeal[] = seeds.map((seed) => ({
    seed,
    programmeId: progIds.get(seed.programme.code)!,
    themes: new Map(),
    projects: new Map(),
    pools: new Map(),
    organisations: orgIds,
  }));
  const byProgId = new Map(deals.map((d) => [d.programmeId, d]));
  const ids = deals.map((d) => d.programmeId);
  const ill = (d: ImportedDeal) => d.seed.illustrative ?? false;
  const readBack = async (table: string, target: (d: ImportedDeal) => Map<string, number>) => {
    for (const r of await ins.selectIn<{ id: number | string; programme_id: number | string; code: string }>(
      `SELECT id, programme_id, code FROM ${table} WHERE programme_id IN`,
      ids,
    )) {
      target(byProgId.get(Number(r.programme_id))!).set(r.code, Number(r.id));
    }
  };

  rows += await ins.insert(
    'theme',
    ['programme_id', 'code', 'name', 'description', 'position', ...PROV],
    deals.flatMap((d) =>
      d.seed.themes.map((t, i) => [
        d.programmeId,
        t.code,
        t.name,
        t.description ?? null,
        i + 1,
        ...prov(t.source, ill(d)),
      ]),
    ),
  );
  await readBack('theme', (d) => d.themes);

  rows += await ins.insert(
    'project',
    ['programme_id', 'theme_id', 'code', 'name', 'description', 'location', 'status', 'lead_organisation_id', ...PROV],
    deals.flatMap((d) =>
      d.seed.projects.map((x) => [
        d.programmeId,
        x.theme ? d.themes.get(x.theme)! : null,
        x.code,
        x.name,
        x.description ?? null,
        x.location ?? null,
        x.status ?? 'approved',
        x.leadBody ? orgIds.get(x.leadBody)! : null,
        ...prov(x.source, ill(d)),
      ]),
    ),
  );
  await readBack('project', (d) => d.projects);

  rows += await ins.insert(
    'project_pool',
    ['programme_id', 'theme_id', 'code', 'name', 'description', ...PROV],
    deals.flatMap((d) =>
      (d.seed.pools ?? []).map((x) => [
        d.programmeId,
        x.theme ? d.themes.get(x.theme)! : null,
        x.code,
        x.name,
        x.description ?? null,
        ...prov(x.source, ill(d)),
      ]),
    ),
  );
  await readBack('project_pool', (d) => d.pools);
  // Pool members are not counted as rows (the row-by-row seed never counted them).
  await ins.insert(
    'project_pool_member',
    ['pool_id', 'project_id'],
    deals.flatMap((d) =>
      (d.seed.pools ?? []).flatMap((x) => x.projects.map((c) => [d.pools.get(x.code)!, d.projects.get(c)!])),
    ),
  );

  // The deal's approved baseline, written once in the caller's audited transaction.
  rows += await ins.insert(
    'allocation',
    [
      'programme_id',
      'source_kind',
      'project_id',
      'pool_id',
      'period_kind',
      'year_from',
      'year_to',
      'amount_pence',
      'commitment_status',
      'approval_state',
      'description',
      ...PROV,
      'created_at',
      'updated_at',
    ],
    deals.flatMap((d) =>
      d.seed.allocations.map((a) => {
        const p = parsePeriod(a.period);
        return [
          d.programmeId,
          a.sourceKind,
          a.project ? d.projects.get(a.project)! : null,
          a.pool ? d.pools.get(a.pool)! : null,
          p.periodKind,
          p.yearFrom,
          p.yearTo,
          parsePounds(a.amount),
          a.commitmentStatus,
          'approved',
          a.description ?? null,
          ...prov(a.source, ill(d)),
          now,
          now,
        ];
      }),
    ),
  );

  rows += await ins.insert(
    'headline_figure',
    [
      'programme_id',
      'code',
      'measure',
      'label',
      'qualifier',
      'unit',
      'value',
      'precision',
      'rule',
      'table_name',
      'table_row',
      'table_column',
      'notes',
      ...PROV,
    ],
    deals.flatMap((d) =>
      d.seed.headlines.map((h) => {
        const pounds = h.unit === 'pounds';
        return [
          d.programmeId,
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
          ...prov(h.source, ill(d)),
        ];
      }),
    ),
  );
  return { deals, rows };
}

async function ensureSourceKinds(ins: BulkInserter): Promise<void> {
  const have = new Set(
    (
      await ins.selectIn<{ code: string }>(
        'SELECT code FROM source_kind WHERE code IN',
        CORE_SOURCE_KINDS.map((k) => k.code),
      )
    ).map((r) => r.code),
  );
  await ins.insert(
    'source_kind',
    ['code', 'label', 'description', 'capital', 'is_match', 'position'],
    CORE_SOURCE_KINDS.filter((k) => !have.has(k.code)).map((k) => [
      k.code,
      k.label,
      k.description,
      k.capital,
      k.isMatch,
      k.position,
    ]),
  );
}
