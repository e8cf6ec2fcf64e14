import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Actor, SYSTEM_ACTOR } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { DEMO_CHANGES_FILE, DemoChangesLoader } from './demo-changes';
import { formatQuarter, parseQuarter } from '../common/fiscal';
import { parsePounds } from '../common/money';
import { returnDueDate } from '../periods/programme-clock';
import { seedsDir } from '../common/paths';
import { Db } from '../database/db.service';
import { Milestone, MilestoneKind } from '../milestones/milestone.entity';
import { OutputActual, OutputMetric, OutputTarget } from '../outputs/output.entities';
import { parseQuantity } from '../outputs/output-units';
import { normaliseClaimKey } from '../outputs/outputs.service';
import { ReturnsService } from '../returns/returns.service';
import { codeMaps } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { SeedRun } from '../deal-loading/seed-run.entity';
import { SpendProfileLine } from '../spend/spend.entities';

export const DEMO_FILE = 'demo-delivery.json';
/** The story's finance officer, who submits the demo returns. */
export const DEMO_SUBMITTER = 'demo finance officer (illustrative)';
export const DEMO_SOURCE = 'seeds/demo-delivery.json (ILLUSTRATIVE: not from the source documents)';

export interface DemoFile {
  name: string;
  illustrative: true;
  programme: string;
  reportingQuarter: string;
  closedQuarters: string[];
  spend: { project: string; sourceKind: string; quarters: [string, string, string, string | null][] }[];
  milestones: {
    project: string;
    kind: MilestoneKind;
    title: string;
    baselineDate: string;
    forecastDate: string;
    actualDate: string | null;
  }[];
  outputTargets: { project: string; metric: string; target: unknown; forecast: unknown }[];
  outputActuals: {
    project: string;
    metric: string;
    quarter: string;
    value: unknown;
    claimKey: string;
    evidence: string;
  }[];
  /** Illustrative written comments on the return warnings the demo quarters raise, by check code. */
  returnComments: Record<string, string>;
}

/** A demo comment is on every warning it answers, and says it is illustrative. */
export function demoComments(
  warnings: string[],
  byCode: Record<string, string>,
  quarter: string,
): Record<string, string> {
  const missing = warnings.filter((c) => !byCode[c]);
  if (missing.length)
    throw new Error(
      `demo return ${quarter}: no illustrative comment for warning${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (add to returnComments in ${DEMO_FILE})`,
    );
  return Object.fromEntries(warnings.map((c) => [c, byCode[c]]));
}

/** Loads the illustrative delivery history after the deal; once (seed_run), in one audited transaction. */
@Injectable()
export class DemoService {
  private readonly logger = new Logger('Demo');

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly returns: ReturnsService,
    private readonly demoChanges: DemoChangesLoader,
  ) {}

  async load(
    path = join(seedsDir(), DEMO_FILE),
    actor: Actor = SYSTEM_ACTOR,
  ): Promise<{ loaded: boolean; rows: number }> {
    const raw = readFileSync(path);
    const sha256 = createHash('sha256').update(raw).digest('hex');
    const demo = JSON.parse(raw.toString('utf8')) as DemoFile;
    if (demo.illustrative !== true) throw new Error(`${path}: demo data must be marked "illustrative": true`);
    return this.db.write(async (m) => {
      if (await m.findOne(SeedRun, { where: { name: demo.name } })) return { loaded: false, rows: 0 };
      const prog = await m.findOne(Programme, { where: { code: demo.programme } });
      if (!prog) {
        this.logger.warn(`programme ${demo.programme} is not loaded: the demo history is skipped`);
        return { loaded: false, rows: 0 };
      }
      const projects = new Map([...(await codeMaps(m, prog.id)).project].map(([id, c]) => [c, id]));
      // Every project the history writes to: the one audit entry is in each one's trail.
      const touched = new Set<number>();
      const pid = (c: string) => {
        const id = projects.get(c);
        if (id === undefined) throw new Error(`${path}: unknown project ${c}`);
        touched.add(id);
        return id;
      };
      const now = new Date().toISOString();
      const source = { document: DEMO_SOURCE, section: null, quote: null, printed: null, illustrative: true };
      let rows = 0;
      const spend = demo.spend.flatMap((l) =>
        l.quarters.map(([q, b, f, a]) => ({
          programmeId: prog.id,
          projectId: pid(l.project),
          sourceKind: l.sourceKind,
          quarter: formatQuarter(parseQuarter(q)),
          baselinePence: parsePounds(b),
          forecastPence: parsePounds(f),
          actualPence: a === null ? null : parsePounds(a),
          illustrative: true,
          updatedAt: now,
        })),
      );
      for (let i = 0; i < spend.length; i += 200) await m.insert(SpendProfileLine, spend.slice(i, i + 200));
      rows += spend.length;
      for (const x of demo.milestones) {
        await m.insert(Milestone, {
          programmeId: prog.id,
          projectId: pid(x.project),
          code: null,
          kind: x.kind,
          title: x.title,
          owner: null,
          baselineDate: x.baselineDate,
          forecastDate: x.forecastDate,
          actualDate: x.actualDate,
          status: x.actualDate ? 'complete' : 'open',
          dueWords: null,
          dateInterpreted: false,
          notes: null,
          source,
          updatedAt: now,
        });
        rows++;
      }
      const metrics = new Map((await m.find(OutputMetric)).map((x) => [x.code, x]));
      const qty = (v: unknown, metric: string) => {
        const r = parseQuantity(v, metrics.get(metric)!);
        if ('problem' in r) throw new Error(`${path}: ${metric} ${String(v)} ${r.problem.problem}`);
        return r.value;
      };
      for (const g of demo.outputTargets) {
        await m.insert(OutputTarget, {
          programmeId: prog.id,
          projectId: pid(g.project),
          metricCode: g.metric,
          targetValue: qty(g.target, g.metric),
          forecastValue: qty(g.forecast, g.metric),
          notes: 'illustrative demo target',
          source,
          updatedAt: now,
        });
        rows++;
      }
      for (const a of demo.outputActuals) {
        await m.insert(OutputActual, {
          programmeId: prog.id,
          projectId: pid(a.project),
          metricCode: a.metric,
          quarter: a.quarter,
          value: qty(a.value, a.metric),
          claimKey: normaliseClaimKey(a.claimKey),
          evidence: a.evidence,
          illustrative: true,
          recordedBy: 'demo (illustrative)',
          updatedAt: now,
        });
        rows++;
      }
      // Illustrative change requests (seeds/demo-changes.json), replayed through the change-request
      // services with their own dates: after the delivery history, before the quarters are closed.
      rows += await this.demoChanges.load(m, prog, join(seedsDir(), DEMO_CHANGES_FILE));
      // Real submissions, in order, through the returns service: the checks gate them as they gate anyone's.
      // Each is stamped in programme time on its quarter's due date (submitted on time); the
      // wall-clock instant is recorded beside it.
      const submitter: Actor = { ...actor, name: DEMO_SUBMITTER };
      for (const quarter of demo.closedQuarters) {
        const draft = await this.returns.draftIn(m, prog.code, quarter, submitter);
        const errors = draft.checks.filter((c) => c.severity === 'error');
        if (errors.length)
          throw new Error(
            `demo return ${quarter} has errors: ${errors.map((e) => `${e.code} ${e.message}`).join('; ')}`,
          );
        const warnings = [...new Set(draft.checks.filter((c) => c.severity === 'warning').map((c) => c.code))];
        await this.returns.submitIn(
          m,
          prog.code,
          quarter,
          {
            comments: demoComments(warnings, demo.returnComments ?? {}, quarter),
            reason: null,
            submittedOn: returnDueDate(quarter, prog.returnDueMonths),
          },
          submitter,
        );
        rows++;
      }
      // The replayed history stands at its last quarter's due date (programme time), not today:
      // its returns are on time and the last quarter's is due, not years overdue.
      const asOf = returnDueDate(demo.reportingQuarter, prog.returnDueMonths);
      await m.update(Programme, { id: prog.id }, { asOfDate: asOf, version: prog.version + 1 });
      await m.insert(SeedRun, { name: demo.name, sha256, loadedAt: now, rowCount: rows });
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        entity: 'programme',
        entityId: prog.id,
        action: 'seed_demo',
        after: { name: demo.name, illustrative: true },
        projectIds: touched,
        meta: { file: DEMO_FILE, sha256, rows, closedQuarters: demo.closedQuarters, asOfDate: asOf },
      });
      this.logger.log(`loaded the illustrative demo history (${rows} rows)`);
      return { loaded: true, rows };
    });
  }
}
