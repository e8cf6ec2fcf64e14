import { formatQuarter } from '../../common/fiscal';
import { codeMaps } from '../../programmes/programme-lookup';
import type { ReturnCheck, ReturnContext, SectionProvider, SectionResult } from '../return-document';
import { toInt } from '../../database/sql-values';
import { CellInput, ColumnSpec, RowInput } from '../../xlsx';
import { OutputActual, OutputMetric, OutputTarget } from '../../outputs/output.entities';
import { countOnce } from '../../outputs/output-totals';
import { formatQuantity, placesOf } from '../../outputs/output-units';

const COLUMNS: ColumnSpec[] = [
  { key: 'project', header: 'Project', type: 'text' },
  { key: 'metric', header: 'Metric', type: 'text' },
  { key: 'name', header: 'Metric name', type: 'text', maxWidth: 45 },
  { key: 'unit', header: 'Unit', type: 'text' },
  { key: 'target', header: 'Target', type: 'integer' },
  { key: 'forecast', header: 'Forecast final total', type: 'integer' },
  { key: 'inQuarter', header: 'In quarter', type: 'integer' },
  { key: 'cumulative', header: 'Cumulative', type: 'integer' },
  { key: 'doubleClaim', header: 'Double claims', type: 'text', maxWidth: 90 },
];

/** The unit as a reader writes it. */
const UNIT_LABEL: Record<string, string> = { m2: 'm²', ha: 'ha', km: 'km' };

/**
 * A quantity as a real spreadsheet number: counts as whole numbers, £ as money, km, ha and m²
 * as numbers of the unit with its places and the unit in the number format ("2.100 km").
 */
function qty(v: number | null, x: OutputMetric): CellInput {
  if (v === null) return null;
  if (x.unit === 'gbp') return { type: 'money', value: v };
  if (UNIT_LABEL[x.unit]) return { type: 'quantity', value: v, places: placesOf(x.scale), unit: UNIT_LABEL[x.unit] };
  return v;
}

/**
 * Outputs: per project and metric the target, the forecast of the final total, the quarter's
 * claims and the cumulative claims to the end of the quarter (derived, never typed). The
 * PROGRAMME row counts each shared claim once, so it is deliberately not the sum of the rows.
 */
export class OutputsSection implements SectionProvider {
  readonly key = 'outputs' as const;

  async build(ctx: ReturnContext): Promise<SectionResult> {
    const { m, programme } = ctx;
    const cur = formatQuarter(ctx.quarter);
    const codes = (await codeMaps(m, programme.id)).project;
    const metrics = await m.find(OutputMetric, { order: { position: 'ASC', code: 'ASC' } });
    const targets = await m.find(OutputTarget, { where: { programmeId: programme.id } });
    const raw = await m
      .createQueryBuilder(OutputActual, 'o')
      .select('o.metric_code', 'metric')
      .addSelect('o.claim_key', 'claimKey')
      .addSelect('o.project_id', 'projectId')
      .addSelect('SUM(o.value)', 'value')
      .addSelect('SUM(CASE WHEN o.quarter = :cur THEN o.value ELSE 0 END)', 'inQuarter')
      .addSelect('MAX(CASE WHEN o.illustrative THEN 1 ELSE 0 END)', 'illustrative')
      .where('o.programme_id = :p AND o.quarter <= :cur', { p: programme.id, cur })
      .groupBy('o.metric_code')
      .addGroupBy('o.claim_key')
      .addGroupBy('o.project_id')
      .getRawMany<{
        metric: string;
        claimKey: string;
        projectId: unknown;
        value: unknown;
        inQuarter: unknown;
        illustrative: unknown;
      }>();
    const sums = raw.map((r) => ({
      metric: r.metric,
      claimKey: r.claimKey,
      projectId: toInt(r.projectId),
      value: toInt(r.value),
      inQuarter: toInt(r.inQuarter),
    }));
    const toDate = countOnce(sums);
    const quarter = countOnce(sums.filter((s) => s.inQuarter !== 0).map((s) => ({ ...s, value: s.inQuarter })));
    const code = (id: number) => codes.get(id) ?? String(id);
    const rows: RowInput[] = [];
    for (const x of metrics) {
      const projectIds = new Set([
        ...targets.filter((g) => g.metricCode === x.code && g.projectId !== null).map((g) => g.projectId!),
        ...sums.filter((s) => s.metric === x.code).map((s) => s.projectId),
      ]);
      const programmeTarget = targets.find((g) => g.metricCode === x.code && g.projectId === null);
      if (!projectIds.size && !programmeTarget) continue;
      const projectRows: RowInput[] = [];
      let forecast: number | null = null;
      for (const id of projectIds) {
        const g = targets.find((t) => t.metricCode === x.code && t.projectId === id);
        const mine = sums.filter((s) => s.metric === x.code && s.projectId === id);
        const shared = toDate.doubleClaims.filter(
          (d) => d.metric === x.code && d.claims.some((c) => c.projectId === id),
        );
        if (g?.forecastValue !== null && g?.forecastValue !== undefined) forecast = (forecast ?? 0) + g.forecastValue;
        projectRows.push({
          project: code(id),
          metric: x.code,
          name: x.name,
          unit: x.unit,
          target: qty(g?.targetValue ?? null, x),
          forecast: qty(g?.forecastValue ?? null, x),
          inQuarter: qty(
            mine.reduce((s, c) => s + c.inQuarter, 0),
            x,
          ),
          cumulative: qty(
            mine.reduce((s, c) => s + c.value, 0),
            x,
          ),
          doubleClaim: shared.length
            ? shared
                .map(
                  (d) =>
                    `${d.claimKey} also claimed by ${d.claims
                      .filter((c) => c.projectId !== id)
                      .map((c) => code(c.projectId))
                      .join(', ')}`,
                )
                .join('; ')
            : null,
        });
      }
      projectRows.sort((a, b) => String(a.project).localeCompare(String(b.project)));
      rows.push(...projectRows);
      const t = toDate.totals.get(x.code);
      rows.push({
        project: 'PROGRAMME',
        metric: x.code,
        name: x.name,
        unit: x.unit,
        target: qty(programmeTarget?.targetValue ?? null, x),
        forecast: qty(forecast, x),
        inQuarter: qty(quarter.totals.get(x.code)?.total ?? 0, x),
        cumulative: qty(t?.total ?? 0, x),
        doubleClaim: t?.removed
          ? `shared claims counted once: ${String(formatQuantity(t.removed, x))} removed from the sum of the project rows`
          : null,
      });
    }
    const checks: ReturnCheck[] = [];
    if (toDate.doubleClaims.length) {
      checks.push({
        code: 'DOUBLE_CLAIMS',
        severity: 'note',
        section: 'outputs',
        message: `${toDate.doubleClaims.length} claim${toDate.doubleClaims.length === 1 ? ' is' : 's are'} made by more than one project and counted once in programme totals: ${toDate.doubleClaims.map((d) => `${d.metric} ${d.claimKey} (${d.claims.map((c) => code(c.projectId)).join(', ')})`).join('; ')}`,
      });
    }
    if (raw.some((r) => toInt(r.illustrative) > 0) || targets.some((g) => g.source?.illustrative))
      checks.push({
        code: 'ILLUSTRATIVE_OUTPUTS',
        severity: 'note',
        section: 'outputs',
        message: 'output targets and claims include ILLUSTRATIVE demo data that is not from the source documents',
      });
    return { table: { key: 'outputs', title: 'Outputs', sheet: 'Outputs', columns: COLUMNS, rows }, checks };
  }
}
