import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { assertProjectScope } from '../auth/scope';
import { AuditRecord, AuditService, collectedRows } from '../audit/audit.service';
import { DomainError, RuleViolationError } from '../common/errors';
import { formatQuarter, parseQuarter, quarterEnd } from '../common/fiscal';
import { formatPounds } from '../common/money';
import { Db } from '../database/db.service';
import { SourceKind } from '../funding/source-kind.entity';
import { Milestone } from '../milestones/milestone.entity';
import { milestoneDateProblems } from '../milestones/milestone-dates';
import { MilestonesService } from '../milestones/milestones.service';
import { OutputActual, OutputMetric } from '../outputs/output.entities';
import { formatQuantity, MAX_WHOLE, MAX_WHOLE_DIGITS, placesOf } from '../outputs/output-units';
import { normaliseClaimKey, OutputsService } from '../outputs/outputs.service';
import { monitoringEnd } from '../periods/monitoring';
import { PeriodsService } from '../periods/periods.service';
import { findProgramme, findProject } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { Project } from '../projects/project.entity';
import { onlyProgramme } from '../spend/actuals-csv';
import { SpendProfileLine } from '../spend/spend.entities';
import { SpendService } from '../spend/spend.service';
import { QuarterlyUpdate, UpdateDraft } from '../quarterly-updates/quarterly-update.entity';
import { UpdateDraftsService } from '../quarterly-updates/update-drafts.service';
import { DraftChange, draftFromWorkbook, FIGURE_WORDS, FigureKind } from './partner-draft';
import {
  ABOUT_SHEET,
  loadXlsx,
  readSheet,
  readTemplate,
  ReadRow,
  RowInput,
  TemplateSheet,
  writeTemplate,
  XlsxRejectedError,
} from '../xlsx';
import {
  cellRef,
  MILESTONE_COLUMNS,
  MILESTONES_SHEET,
  OUTPUT_COLUMNS,
  OUTPUTS_SHEET,
  PARTNER_UPDATE_KIND,
  READ_SHEETS,
  SPEND_COLUMNS,
  SPEND_SHEET,
} from './partner-update.template';

/**
 * One changed cell or row: `run` writes it to the figures (the command line's import), `change`
 * is what it proposes to the quarterly update's draft (the staff pages' upload), `role` whose
 * figure it is through the API.
 */
type Op = { ref: string; describe: string; run: () => Promise<unknown>; change: DraftChange; role: FigureKind };

/** What each sheet's reader is given: the target, the sheet's rows, and the list its problems go to. */
interface SheetArgs {
  m: EntityManager;
  t: { prog: Programme; project: Project; quarter: string };
  rows: ReadRow[];
  actor: Actor;
  problems: string[];
  /** Each applied row's audit (before and after), recorded as the import's one entry. */
  audit: { rows: AuditRecord[] };
}

/** A row whose version is not the one stored: someone changed it since the template was written. */
function staleRow(cell: string, what: string, now: number, inFile: number | null): string {
  return `${cell}: this ${what} was changed by someone else since the template was written (version ${now} now, ${inFile ?? 'blank'} in the file): download a new template`;
}

/**
 * Partner updates: a template pre-filled with the project's current figures for the reporting
 * quarter, and its import. The import is all or nothing: every cell is checked first (any
 * problem refuses the file with `Sheet!Cell: problem` lines), then the changed rows are applied
 * in one transaction through the features' own services (their version checks and period
 * locks), recorded as one audit entry with the row count and the file's SHA-256.
 */
@Injectable()
export class PartnerUpdatesService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly periods: PeriodsService,
    private readonly spend: SpendService,
    private readonly milestones: MilestonesService,
    private readonly outputs: OutputsService,
    private readonly drafts: UpdateDraftsService,
  ) {}

  private async target(m: EntityManager, programme: string | undefined, projectCode: string, quarter: string) {
    const prog = programme ? await findProgramme(m, programme) : await onlyProgramme(m);
    const project = await findProject(m, prog.id, projectCode);
    // After the programme's end (up to its monitoring end) a partner reports outputs only:
    // no spend or return covers those quarters.
    const out = this.periods.outputQuarter(prog, quarter);
    if (out.monitoring) return { prog, project, quarter: formatQuarter(out.q), monitoring: true };
    const q = formatQuarter(this.periods.checkInProgramme(prog, quarter));
    const current = formatQuarter(await this.periods.currentQuarter(m, prog));
    if (q !== current)
      throw new RuleViolationError(
        'NOT_REPORTING_QUARTER',
        `${q} is not ${prog.code}'s reporting quarter (${current}): partner updates are for the reporting quarter`,
        'quarter',
      );
    return { prog, project, quarter: q, monitoring: false };
  }

  /** A project and its programme's reporting quarter: what the staff page offers a template for. */
  reportingQuarter(
    programme: string | undefined,
    projectCode: string,
  ): Promise<{ programme: string; project: string; projectName: string; quarter: string }> {
    return this.db.read(async (m) => {
      const prog = programme ? await findProgramme(m, programme) : await onlyProgramme(m);
      const project = await findProject(m, prog.id, projectCode);
      const quarter = formatQuarter(await this.periods.currentQuarter(m, prog));
      return { programme: prog.code, project: project.code, projectName: project.name, quarter };
    });
  }

  /**
   * The filled-in template's bytes. With `withDraft` (the staff pages' download) the figures are
   * the project's quarterly update draft where it proposes any, so a partner downloads what they
   * have entered so far and the upload puts the file back into that draft.
   */
  template(
    programme: string | undefined,
    projectCode: string,
    quarter: string,
    withDraft = false,
  ): Promise<{ filename: string; bytes: Buffer; rows: number }> {
    return this.db.read(async (m) => {
      const { prog, project, quarter: q, monitoring } = await this.target(m, programme, projectCode, quarter);
      const draft: UpdateDraft =
        (withDraft && (await m.findOne(QuarterlyUpdate, { where: { projectId: project.id, quarter: q } }))?.draft) ||
        {};
      const spend = (
        await m.find(SpendProfileLine, {
          where: { projectId: project.id },
          order: { sourceKind: 'ASC', quarter: 'ASC' },
        })
      ).filter((l) => l.quarter >= q);
      const ms = await m.find(Milestone, {
        where: { projectId: project.id },
        order: { baselineDate: 'ASC', id: 'ASC' },
      });
      const claims = await m.find(OutputActual, {
        where: { projectId: project.id, quarter: q },
        order: { metricCode: 'ASC', claimKey: 'ASC' },
      });
      const metrics = new Map((await m.find(OutputMetric, { order: { code: 'ASC' } })).map((x) => [x.code, x]));
      const kinds = (await m.find(SourceKind, { order: { code: 'ASC' } })).map((k) => k.code);
      // On the rows written only the figures are open (the sheets are protected); rows below are
      // open for new lines, with dropdowns of the codes.
      const sheets: (TemplateSheet & { rows: RowInput[] })[] = [
        {
          name: SPEND_SHEET,
          columns: SPEND_COLUMNS,
          inputs: ['forecast', 'actual'],
          choices: { sourceKind: kinds },
          rows: spend.map(
            (l) =>
              ({
                sourceKind: l.sourceKind,
                quarter: l.quarter,
                baseline: l.baselinePence,
                forecast: draft.forecasts?.[`${l.sourceKind}|${l.quarter}`] ?? l.forecastPence,
                actual: l.quarter === q ? (draft.actuals?.[l.sourceKind] ?? l.actualPence) : null,
                version: l.version,
              }) as RowInput,
          ),
        },
        {
          name: MILESTONES_SHEET,
          columns: MILESTONE_COLUMNS,
          inputs: ['forecastDate', 'actualDate'],
          rows: ms
            .filter((x) => x.status !== 'cancelled')
            .map(
              (x) =>
                ({
                  id: x.id,
                  title: x.title,
                  baselineDate: x.baselineDate,
                  forecastDate: draft.milestones?.[String(x.id)]
                    ? draft.milestones[String(x.id)].forecastDate
                    : x.forecastDate,
                  actualDate: draft.milestones?.[String(x.id)]
                    ? draft.milestones[String(x.id)].actualDate
                    : x.actualDate,
                  version: x.version,
                }) as RowInput,
            ),
        },
        {
          name: OUTPUTS_SHEET,
          columns: OUTPUT_COLUMNS,
          inputs: ['value', 'evidence'],
          choices: { metric: [...metrics.keys()], quarter: [q] },
          rows: claims
            .map((c) => {
              const x = metrics.get(c.metricCode)!;
              return {
                id: c.id,
                metric: c.metricCode,
                quarter: c.quarter,
                claimKey: c.claimKey,
                value: x.scale === 1 ? c.value : { type: 'text', value: String(formatQuantity(c.value, x)) },
                evidence: c.evidence,
                version: c.version,
              } as RowInput;
            })
            .concat(
              // The draft's new claims, as rows without an Id (as a partner adds them).
              (draft.outputs?.claims ?? []).map((c) => {
                const x = metrics.get(c.metric)!;
                return {
                  id: null,
                  metric: c.metric,
                  quarter: c.quarter,
                  claimKey: c.claimKey,
                  value: x.scale === 1 ? c.value : { type: 'text', value: String(formatQuantity(c.value, x)) },
                  evidence: c.evidence,
                  version: null,
                } as RowInput;
              }),
            ),
        },
      ];
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      await writeTemplate(out, {
        kind: PARTNER_UPDATE_KIND,
        identity: { Programme: prog.code, Project: project.code, Quarter: q },
        instructions: [
          monitoring
            ? `Outputs update of ${project.code} (${project.name}) for ${q}, after the programme's end (outputs are recorded up to ${monitoringEnd(prog)}): add or change rows on the Outputs sheet and send the file back; spend is not reported after the programme's end.`
            : `Quarterly update of ${project.code} (${project.name}) for ${q}: change the figures on the Spend, Milestones and Outputs sheets and send the file back.`,
          monitoring
            ? 'Add a row on Outputs for each new claim (leave its Id and Version blank).'
            : `Actual spend is for ${q} only; forecasts are for ${q} and later quarters. Add a row on Outputs for each new claim (leave its Id and Version blank).`,
          'Do not change Id or Version cells: they detect edits made by someone else since this file was written.',
        ],
        sheets,
      });
      return {
        filename: `${prog.code}-${project.code}-update-${q.replace(' ', '-')}.xlsx`,
        bytes: Buffer.concat(chunks),
        rows: sheets.reduce((s, x) => s + x.rows.length, 0),
      };
    });
  }

  /** The file read and checked against its About sheet: its identity, its rows and its SHA-256. */
  private async readFile(
    bytes: Buffer,
    name: string,
    expect: { programme?: string; project?: string; quarter?: string },
  ) {
    const wb = await loadXlsx(bytes, name);
    const aboutProblems: string[] = [];
    const about = new Map(
      readSheet(
        wb,
        {
          name: ABOUT_SHEET,
          columns: [
            { key: 'field', header: 'Field', type: 'text' },
            { key: 'value', header: 'Value', type: 'text' },
          ],
        },
        aboutProblems,
      ).map((r) => [String(r.values.field), String(r.values.value ?? '')]),
    );
    if (aboutProblems.length || about.get('Template') !== PARTNER_UPDATE_KIND)
      throw new XlsxRejectedError(
        `${name} is not a partner update template (its ${ABOUT_SHEET} sheet does not say "${PARTNER_UPDATE_KIND}")`,
        aboutProblems,
      );
    const identity = {
      Programme: expect.programme ?? about.get('Programme') ?? '',
      Project: expect.project ?? about.get('Project') ?? '',
      Quarter: expect.quarter ?? about.get('Quarter') ?? '',
    };
    const rows = await readTemplate(bytes, { kind: PARTNER_UPDATE_KIND, identity, sheets: READ_SHEETS }, name);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { identity, rows, sha256 };
  }

  /** The file's programme, project and quarter, each refusal named by its About cell; held for the write. */
  private async targetOf(
    m: EntityManager,
    identity: { Programme: string; Project: string; Quarter: string },
    name: string,
  ) {
    try {
      const t = await this.target(m, identity.Programme, identity.Project, identity.Quarter);
      await this.periods.hold(m, t.prog.id);
      return t;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      // The About sheet's rows: Template (2), Programme (3), Project (4), Quarter (5).
      const row = e.code === 'NOT_FOUND' && /project/i.test(e.message) ? 4 : e.code === 'NOT_FOUND' ? 3 : 5;
      throw new XlsxRejectedError(`${name} was not imported`, [
        `${ABOUT_SHEET}!B${row}: ${e.message.replace(/^quarter: /, '')}`,
      ]);
    }
  }

  /** Every sheet's changed rows, every problem collected first (all or nothing). */
  private async opsOf(args: Omit<SheetArgs, 'rows'>, rows: Record<string, ReadRow[]>): Promise<Op[]> {
    return [
      ...(await this.spendOps({ ...args, rows: rows[SPEND_SHEET] })),
      ...(await this.milestoneOps({ ...args, rows: rows[MILESTONES_SHEET] })),
      ...(await this.outputOps({ ...args, rows: rows[OUTPUTS_SHEET] })),
    ];
  }

  /**
   * The command line's import: writes the figures themselves, each only for a role that may write
   * it through the API (`roles`: actual spend is finance's; forecasts, milestones and outputs a
   * programme manager's), so a file cannot carry a figure past the API's rule. A delivery
   * partner's figures go through the quarterly update instead (`importToDraft`).
   * `expect` (optional) names the project and quarter the caller means.
   */
  async import(
    bytes: Buffer,
    name: string,
    expect: { project?: string; quarter?: string },
    actor: Actor,
    roles?: Record<FigureKind, readonly string[]>,
  ) {
    const { identity, rows, sha256 } = await this.readFile(bytes, name, expect);
    return this.db.write(async (m) => {
      const t = await this.targetOf(m, identity, name);
      // A project-scoped user (by API or the CLI's --as) imports only their own projects' files.
      assertProjectScope(actor, t.prog.code, t.project.code);
      const problems: string[] = [];
      const audit = { rows: [] as AuditRecord[] };
      const ops = await this.opsOf({ m, t, actor, problems, audit }, rows);
      if (roles && actor.role !== 'admin')
        for (const op of ops)
          if (!roles[op.role].includes(actor.role))
            problems.push(
              `${op.ref}: ${FIGURE_WORDS[op.role]} ${op.role === 'actual' ? 'is' : 'are'} written by ${roles[op.role].join(' or ').replace(/_/g, ' ')} (you act as ${actor.role.replace(/_/g, ' ')}); a delivery partner's figures go through the quarterly update: upload the file at /manage/partner-workbook/${t.project.code}`,
            );
      if (problems.length)
        throw new XlsxRejectedError(
          `${name} was not imported: ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing was changed`,
          problems,
        );
      const applied: string[] = [];
      for (const op of ops) {
        try {
          await op.run();
          applied.push(op.describe);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          problems.push(`${op.ref}: ${e.message}`);
        }
      }
      if (problems.length)
        throw new XlsxRejectedError(
          `${name} was not imported: ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing was changed`,
          problems,
        );
      await this.audit.record(m, actor, {
        programmeId: t.prog.id,
        projectId: t.project.id,
        entity: 'partner_update',
        entityId: t.project.id,
        action: 'import',
        ...collectedRows(audit.rows),
        meta: { file: name, sha256, rows: ops.length, quarter: t.quarter, applied },
      });
      return {
        programme: t.prog.code,
        project: t.project.code,
        quarter: t.quarter,
        rows: ops.length,
        unchanged: Object.values(rows).reduce((s, r) => s + r.length, 0) - ops.length,
        sha256,
      };
    });
  }

  /**
   * The partner spreadsheet over HTTP: the workbook's spend actuals and forecasts, milestone dates
   * and new output claims go into the project's quarterly update DRAFT for the reporting quarter,
   * exactly as if typed into the update's forms (the same checks, every problem at once with its
   * Sheet!Cell), never into the figures. Refused while the update is submitted or accepted.
   */
  async importToDraft(
    bytes: Buffer,
    name: string,
    expect: { programme?: string; project: string; quarter: string },
    actor: Actor,
  ) {
    const { identity, rows, sha256 } = await this.readFile(bytes, name, expect);
    return this.db.write(async (m) => {
      const t = await this.targetOf(m, identity, name);
      let count = 0;
      await this.drafts.importIn(m, t.prog.code, t.project.code, actor, async (c) => {
        const problems: string[] = [];
        // The figures' own checks (versions, locked quarters, dates, formats); nothing is run.
        const ops = await this.opsOf({ m, t, actor, problems, audit: { rows: [] } }, rows);
        const draft = await draftFromWorkbook(m, this.outputs, c, rows, ops, problems);
        if (problems.length)
          throw new XlsxRejectedError(
            `${name} was not imported: ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing was changed`,
            problems,
          );
        count = ops.length;
        return { draft, meta: { file: name, sha256, rows: count } };
      });
      return {
        programme: t.prog.code,
        project: t.project.code,
        quarter: t.quarter,
        rows: count,
        unchanged: Object.values(rows).reduce((s, r) => s + r.length, 0) - count,
        sha256,
      };
    });
  }

  private async spendOps({ m, t, rows, actor, problems, audit }: SheetArgs): Promise<Op[]> {
    const lines = new Map(
      (await m.find(SpendProfileLine, { where: { projectId: t.project.id } })).map((l) => [
        `${l.sourceKind}|${l.quarter}`,
        l,
      ]),
    );
    const ops: Op[] = [];
    const ref = (k: string, r: ReadRow) => cellRef(SPEND_SHEET, SPEND_COLUMNS, k, r.row);
    const seen = new Set<string>();
    for (const r of rows) {
      const v = r.values as {
        sourceKind: string;
        quarter: string;
        baseline: number | null;
        forecast: number;
        actual: number | null;
        version: number | null;
      };
      const key = `${v.sourceKind}|${v.quarter}`;
      if (seen.has(key)) {
        problems.push(`${ref('quarter', r)}: ${v.sourceKind} ${v.quarter} appears twice`);
        continue;
      }
      seen.add(key);
      // The API's own quarter check (a real quarter, inside the programme), named by its cell.
      try {
        this.periods.checkInProgramme(t.prog, v.quarter);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        problems.push(`${ref('quarter', r)}: ${e.message.replace(/^quarter: /, '')}`);
        continue;
      }
      if (v.quarter < t.quarter) {
        problems.push(
          `${ref('quarter', r)}: ${v.quarter} is before the reporting quarter ${t.quarter}: its figures are locked`,
        );
        continue;
      }
      const line = lines.get(key);
      if (line && v.version !== line.version) {
        problems.push(staleRow(ref('version', r), 'line', line.version, v.version));
        continue;
      }
      if (v.baseline !== null && v.baseline !== (line?.baselinePence ?? 0))
        problems.push(
          `${ref('baseline', r)}: the baseline changes only through an approved change request (it is £${formatPounds(line?.baselinePence ?? 0)})`,
        );
      if (v.actual !== null && v.quarter !== t.quarter && v.actual !== line?.actualPence)
        problems.push(`${ref('actual', r)}: actual spend is reported for ${t.quarter} only`);
      if (v.forecast < 0 || (v.actual ?? 0) < 0)
        problems.push(
          `${ref(v.forecast < 0 ? 'forecast' : 'actual', r)}: spend cannot be negative (corrections to locked quarters are prior-period adjustments)`,
        );
      let version = line?.version;
      if (!line || v.forecast !== line.forecastPence) {
        const dto = { sourceKind: v.sourceKind, quarter: v.quarter, forecast: formatPounds(v.forecast), version };
        ops.push({
          ref: ref('forecast', r),
          describe: `spend ${v.sourceKind} ${v.quarter} forecast ${line ? formatPounds(line.forecastPence) : 'none'} -> ${dto.forecast}`,
          run: async () =>
            (version = (await this.spend.setForecastIn(m, t.prog, t.project, dto, actor, audit)).version),
          change: { kind: 'forecast', key, pence: v.forecast },
          role: 'forecast',
        });
      }
      if (v.quarter === t.quarter && v.actual !== null && v.actual !== line?.actualPence) {
        const actual = formatPounds(v.actual);
        ops.push({
          ref: ref('actual', r),
          describe: `spend ${v.sourceKind} ${v.quarter} actual ${line?.actualPence == null ? 'none' : formatPounds(line.actualPence)} -> ${actual}`,
          run: () =>
            this.spend.setActualIn(
              m,
              t.prog,
              t.project,
              { sourceKind: v.sourceKind, quarter: v.quarter, actual, version },
              actor,
              audit,
            ),
          change: { kind: 'actual', sourceKind: v.sourceKind, pence: v.actual },
          role: 'actual',
        });
      }
    }
    return ops;
  }

  private async milestoneOps({ m, t, rows, actor, problems, audit }: SheetArgs): Promise<Op[]> {
    const all = new Map((await m.find(Milestone, { where: { projectId: t.project.id } })).map((x) => [x.id, x]));
    const ops: Op[] = [];
    const ref = (k: string, r: ReadRow) => cellRef(MILESTONES_SHEET, MILESTONE_COLUMNS, k, r.row);
    const end = quarterEnd(parseQuarter(t.quarter));
    for (const r of rows) {
      const v = r.values as {
        id: number;
        baselineDate: string | null;
        forecastDate: string | null;
        actualDate: string | null;
        version: number;
      };
      const x = all.get(v.id);
      if (!x) {
        problems.push(`${ref('id', r)}: milestone ${v.id} is not one of ${t.project.code}'s milestones`);
        continue;
      }
      if (v.version !== x.version) {
        problems.push(staleRow(ref('version', r), 'milestone', x.version, v.version));
        continue;
      }
      if (v.baselineDate !== x.baselineDate)
        problems.push(
          `${ref('baselineDate', r)}: the baseline date changes only through an approved re-baseline change request (it is ${x.baselineDate ?? 'blank'})`,
        );
      if (v.forecastDate === x.forecastDate && v.actualDate === x.actualDate) continue;
      // The API's own check of the dates that changed, named by their cells.
      const changed = {
        forecastDate: v.forecastDate !== x.forecastDate ? v.forecastDate : null,
        actualDate: v.actualDate !== x.actualDate ? v.actualDate : null,
      };
      const bad = milestoneDateProblems(t.prog, true, changed, end);
      for (const d of bad) problems.push(`${ref(d.field, r)}: ${d.problem}`);
      if (bad.length) continue;
      const dto = {
        version: v.version,
        ...(v.forecastDate !== x.forecastDate ? { forecastDate: v.forecastDate } : {}),
        ...(v.actualDate !== x.actualDate ? { actualDate: v.actualDate } : {}),
      };
      ops.push({
        ref: ref('forecastDate', r),
        describe: `milestone ${x.id} ${x.title}: forecast ${x.forecastDate} -> ${v.forecastDate}, actual ${x.actualDate} -> ${v.actualDate}`,
        run: () => this.milestones.updateIn(m, t.prog, x.id, dto, actor, audit),
        change: { kind: 'milestone', id: x.id, forecastDate: v.forecastDate, actualDate: v.actualDate },
        role: 'milestone',
      });
    }
    return ops;
  }

  private async outputOps({ m, t, rows, actor, problems, audit }: SheetArgs): Promise<Op[]> {
    const claims = new Map((await m.find(OutputActual, { where: { projectId: t.project.id } })).map((c) => [c.id, c]));
    const metrics = new Map((await m.find(OutputMetric)).map((x) => [x.code, x]));
    const ops: Op[] = [];
    const ref = (k: string, r: ReadRow) => cellRef(OUTPUTS_SHEET, OUTPUT_COLUMNS, k, r.row);
    for (const r of rows) {
      const v = r.values as {
        id: number | null;
        metric: string;
        quarter: string;
        claimKey: string;
        value: string;
        evidence: string | null;
        version: number | null;
      };
      const x = metrics.get(v.metric);
      if (!x) {
        problems.push(
          `${ref('metric', r)}: "${v.metric}" is not a metric of the dictionary (${[...metrics.keys()].join(', ')})`,
        );
        continue;
      }
      // The API's own quarter check (inside the programme, not future, not locked, not after the
      // monitoring end), named by its cell; then the file's one quarter.
      try {
        await this.periods.assertOutputActualEditable(m, t.prog, v.quarter);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        problems.push(`${ref('quarter', r)}: ${e.message.replace(/^quarter: /, '')}`);
        continue;
      }
      if (v.quarter !== t.quarter) {
        problems.push(`${ref('quarter', r)}: claims in this file are for ${t.quarter} (found "${v.quarter}")`);
        continue;
      }
      const p = placesOf(x.scale);
      const mm = new RegExp(`^(\\d{1,${MAX_WHOLE_DIGITS}})(?:\\.(\\d{0,${p}}))?$`).exec(v.value.trim());
      if (!mm || (p === 0 && mm[2] !== undefined && mm[2] !== '')) {
        problems.push(
          `${ref('value', r)}: Value must be ${p === 0 ? 'a whole number' : `a number with at most ${p} decimal places`} of ${x.unit}, not negative, at most ${MAX_WHOLE} (found "${v.value}")`,
        );
        continue;
      }
      const value = p === 0 ? Number(mm[1]) : `${mm[1]}.${(mm[2] ?? '').padEnd(p, '0')}`;
      if (v.id === null) {
        const dto = { quarter: v.quarter, value, claimKey: v.claimKey, evidence: v.evidence ?? undefined };
        ops.push({
          ref: ref('claimKey', r),
          describe: `new claim ${v.metric} ${v.claimKey} ${String(value)}`,
          run: () => this.outputs.addActualIn(m, t.prog, t.project, v.metric, dto, actor, audit),
          change: { kind: 'claim', row: r.row, metric: v.metric, ...dto, evidence: v.evidence ?? null },
          role: 'output',
        });
        continue;
      }
      const c = claims.get(v.id);
      if (!c) {
        problems.push(
          `${ref('id', r)}: claim ${v.id} is not one of ${t.project.code}'s claims (leave Id blank for a new claim)`,
        );
        continue;
      }
      if (c.metricCode !== v.metric || c.claimKey !== normaliseClaimKey(v.claimKey) || c.quarter !== v.quarter) {
        problems.push(
          `${ref('claimKey', r)}: claim ${v.id} is ${c.metricCode} ${c.claimKey} in ${c.quarter}: its metric, claim key and quarter cannot change (add a new row instead)`,
        );
        continue;
      }
      if (v.version !== c.version) {
        problems.push(staleRow(ref('version', r), 'claim', c.version, v.version));
        continue;
      }
      const same =
        String(formatQuantity(c.value, x)) === String(value) && (c.evidence ?? null) === (v.evidence ?? null);
      if (same) continue;
      const dto = { version: c.version, value, evidence: v.evidence ?? undefined };
      ops.push({
        ref: ref('value', r),
        describe: `claim ${c.id} ${c.metricCode} ${c.claimKey}: ${String(formatQuantity(c.value, x))} -> ${String(value)}`,
        run: () => this.outputs.updateActualIn(m, t.prog, c.id, dto, actor, audit),
        change: { kind: 'recorded_claim', id: c.id, what: `${c.metricCode} ${c.claimKey}` },
        role: 'output',
      });
    }
    return ops;
  }
}
