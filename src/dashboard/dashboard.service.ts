import { narrowPence, type Money } from '../common/money';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NotFoundError } from '../common/errors';
import { addQuarters, formatQuarter } from '../common/fiscal';
import { Db } from '../database/db.service';
import { SourceKind } from '../funding/source-kind.entity';
import { PeriodsService } from '../periods/periods.service';
import { asOfDate, returnStatus, wallClockDate } from '../periods/programme-clock';
import { findProgramme } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { breakdown } from '../reconciliation/engine';
import {
  AGREED_CSV_HEADER,
  agreedCsvRows,
  agreedDealOf,
  agreedDealRows,
  agreedLines,
  type AgreedLineView,
} from '../changes/agreed.queries';
import { spreadsheetCsv } from '../common/csv';
import { ReconciliationService, reportOfGroups } from '../reconciliation/reconciliation.service';
import { chartCsv, timelineCsv, type ChartData, type TimelineData } from './charts';
import {
  approvedGroups,
  poolRows,
  projectAllocations,
  projectRows,
  type AllocationDetail,
  type ProjectRow,
  type PublicGroup,
} from './dashboard.queries';
import { buildOverview, type OverviewModel, type ProgrammeInfo, type SourceKindInfo } from './overview.model';
import {
  DashboardSections,
  shapeSections,
  type DashboardPage,
  type DashboardSection,
  type ShapeOptions,
} from './sections';

export interface ProjectModel {
  programme: ProgrammeInfo;
  project: ProjectRow;
  kinds: SourceKindInfo[];
  /** The project's own approved allocations by source (pence). */
  bySource: { code: string; label: string; pence: Money; illustrative: boolean }[];
  /** Money the deal commits to a group including this project, without a split. */
  shared: { poolCode: string; sourceKind: string; label: string; pence: Money }[];
  allocations: AllocationDetail[];
  totalPence: Money;
  charts: ChartData[];
  sections: DashboardSection[];
  /** Agreed vs now of the project's own lines and of the pools it shares (changes/agreed.queries.ts). */
  agreed: AgreedLineView[];
}

/** Builds the public page models from a few aggregate queries (approved data only). */
@Injectable()
export class DashboardService {
  constructor(
    private readonly db: Db,
    private readonly periods: PeriodsService,
    private readonly sections: DashboardSections,
    private readonly reconciliation: ReconciliationService,
  ) {}

  programmes() {
    return this.db.read((m) => m.find(Programme, { order: { code: 'ASC' } }));
  }

  private async info(m: EntityManager, p: Programme): Promise<ProgrammeInfo> {
    // At close the reporting quarter stays at the final quarter, which is submitted.
    const { quarter: q, closed } = await this.periods.position(m, p);
    return {
      code: p.code,
      name: p.name,
      description: p.description,
      startsOn: p.startsOn,
      endsOn: p.endsOn,
      reportingQuarter: formatQuarter(q),
      closed,
      submittedBefore: formatQuarter(closed ? addQuarters(q, 1) : q),
      synthetic: p.synthetic,
      // Programme time: the reporting quarter's return (not submitted) against the as-of date.
      reportingReturn: closed ? null : returnStatus(q, null, asOfDate(p, wallClockDate()), p.returnDueMonths),
    };
  }

  private async kinds(m: EntityManager): Promise<SourceKindInfo[]> {
    const ks = await m.find(SourceKind, { order: { position: 'ASC', code: 'ASC' } });
    return ks.map((k) => ({
      code: k.code,
      label: k.label,
      description: k.description,
      capital: k.capital,
      isMatch: k.isMatch,
    }));
  }

  private sectionsFor(m: EntityManager, p: Programme, info: ProgrammeInfo, page: DashboardPage, project?: ProjectRow) {
    return this.sections.load(
      {
        m,
        db: this.db.type,
        programme: p,
        reportingQuarter: info.reportingQuarter,
        submittedBefore: info.submittedBefore,
        closed: info.closed,
        project: project && { id: project.id, code: project.code, name: project.name },
      },
      page,
    );
  }

  /**
   * The overview's model. Its rows are read in one unit of work (lean rows, a bounded number of
   * queries); everything else — the reconciliation, the RAG, the sections, the model — is shaped
   * after it ends, so on SQLite the next request's reads need not wait for this one's shaping.
   * `o.view` false (the JSON route, CSV downloads) shapes no section view.
   */
  async overview(
    code: string,
    page: DashboardPage = 'overview',
    o: ShapeOptions = { view: true },
  ): Promise<OverviewModel> {
    const r = await this.db.read(async (m) => {
      const p = await findProgramme(m, code);
      const info = await this.info(m, p);
      const kinds = await this.kinds(m);
      const groups = await approvedGroups(m, this.db.type, p.id);
      const projects = await projectRows(m, p.id);
      const pools = await poolRows(m, p.id);
      // Public: outputs count to the end of the last submitted quarter (outputs/delivered.ts).
      const reportInputs = await this.reconciliation.reportInputs(m, p.id);
      const sections = await this.sectionShapers(m, p, info, page);
      const agreed = await agreedDealRows(m, p.id);
      return { info, kinds, groups, projects, pools, reportInputs, sections, agreed };
    });
    const deal = agreedDealOf(r.agreed, r.agreed.code, r.agreed.theme);
    const { report, headlines, delivered } = reportOfGroups(
      {
        groups: r.groups,
        projects: r.projects.map((x) => ({ code: x.code, themeCode: x.themeCode, status: x.status })),
        pools: r.pools.map((x) => ({ code: x.code, projects: x.members.map((y) => y.code) })),
      },
      { ...r.reportInputs, deal },
    );
    return buildOverview({
      agreed: deal.lines,
      programme: r.info,
      kinds: r.kinds,
      groups: r.groups,
      projects: r.projects,
      pools: r.pools,
      headlines,
      delivered,
      report,
      sections: shapeSections(r.sections, o),
    });
  }

  /** The sections' reads for a page, sharing reads between sections (the milestones, once). */
  private sectionShapers(m: EntityManager, p: Programme, info: ProgrammeInfo, page: DashboardPage) {
    return this.sections.read(
      {
        m,
        db: this.db.type,
        programme: p,
        reportingQuarter: info.reportingQuarter,
        submittedBefore: info.submittedBefore,
        closed: info.closed,
        memo: new Map(),
      },
      page,
    );
  }

  project(code: string, projectCode: string): Promise<ProjectModel> {
    return this.db.read(async (m) => {
      const p = await findProgramme(m, code);
      const [project] = await projectRows(m, p.id, projectCode);
      if (!project) throw new NotFoundError('project', projectCode, 'project');
      const info = await this.info(m, p);
      const kinds = await this.kinds(m);
      const groups: PublicGroup[] = (await approvedGroups(m, this.db.type, p.id, project.id)).filter(
        (g) => g.commitmentStatus !== 'withdrawn',
      );
      const allocations = await projectAllocations(m, p.id, project.id);
      const pools = new Set(groups.flatMap((g) => (g.poolCode ? [g.poolCode] : [])));
      const agreed = (await agreedLines(m, p.id)).filter(
        (l) => l.projectId === project.id || (l.poolCode !== null && pools.has(l.poolCode)),
      );
      const label = new Map(kinds.map((k) => [k.code, k.label]));
      const own = breakdown(
        groups.filter((g) => g.projectCode === project.code),
        ['sourceKind'],
      );
      const order = new Map(kinds.map((k, i) => [k.code, i]));
      const bySource = own.rows
        .map((r) => ({
          code: r.key.sourceKind!,
          label: label.get(r.key.sourceKind!) ?? r.key.sourceKind!,
          pence: narrowPence(r.total),
          illustrative:
            groups.some((g) => g.projectCode === project.code && g.sourceKind === r.key.sourceKind && g.illustrative) ||
            agreed.some((l) => l.projectId === project.id && l.sourceKind === r.key.sourceKind && l.illustrative),
        }))
        .sort((a, b) => (order.get(a.code) ?? 99) - (order.get(b.code) ?? 99));
      const shared = groups
        .filter((g) => g.poolCode !== null)
        .map((g) => ({
          poolCode: g.poolCode!,
          sourceKind: g.sourceKind,
          label: label.get(g.sourceKind) ?? g.sourceKind,
          pence: g.pence,
        }));
      const charts: ChartData[] = [
        {
          id: 'funding-by-source',
          title: `${project.name}: funding promised, by source`,
          description: `The approved allocations to ${project.name}, by source of funding.`,
          unit: 'pence',
          categories: bySource.map((s) => ({ key: s.code, label: s.label })),
          series: [{ key: 'promised', label: 'Promised' }],
          values: bySource.map((s) => [s.pence]),
          illustrative: bySource.some((s) => s.illustrative),
        },
      ];
      const sections = await this.sectionsFor(m, p, info, 'project', project);
      return {
        programme: info,
        project,
        kinds,
        bySource,
        shared,
        allocations,
        totalPence: narrowPence(own.grandTotal),
        charts,
        sections,
        agreed,
      };
    });
  }

  /** CSV of one chart on a page: the same numbers as the chart and its table. */
  async csv(code: string, file: string, projectCode?: string): Promise<{ name: string; body: string }> {
    const m = /^([a-z0-9-]+)\.csv$/.exec(file);
    if (!m) throw new NotFoundError('chart data', file, 'file');
    if (m[1] === 'agreed-vs-now') {
      // Every line of the deal as agreed beside now (the project's own and its pools' on its page).
      const lines = projectCode
        ? (await this.project(code, projectCode)).agreed
        : (await this.overview(code, 'overview', { view: false })).agreed;
      const name = `${code}${projectCode ? `-${projectCode}` : ''}-agreed-vs-now.csv`;
      return { name, body: spreadsheetCsv([AGREED_CSV_HEADER, ...agreedCsvRows(lines)]) };
    }
    const model = projectCode
      ? await this.project(code, projectCode)
      : await this.overview(code, 'overview', { view: false });
    const charts: (ChartData | TimelineData)[] = [...model.charts, ...model.sections.flatMap((s) => s.charts ?? [])];
    const chart = charts.find((c) => c.id === m[1]);
    if (!chart) throw new NotFoundError('chart', m[1], 'file');
    const name = `${code}${projectCode ? `-${projectCode}` : ''}-${chart.id}.csv`;
    return { name, body: 'values' in chart ? chartCsv(chart) : timelineCsv(chart) };
  }
}
