import { Injectable } from '@nestjs/common';
import { Actor } from '../../auth/actor';
import { isProjectScoped } from '../../auth/roles.decorator';
import { projectScopeTest } from '../../auth/scope';
import { ApprovalService } from '../../changes/approval.service';
import { changeDiffRows } from '../../changes/change-diff';
import { ChangeState } from '../../changes/change-request.entity';
import { ChangeRequestsService } from '../../changes/change-requests.service';
import { FieldProblem, NotFoundError } from '../../common/errors';
import { formatFiscalYear, longDate, quarterRange } from '../../common/fiscal';
import { displayPounds } from '../../common/money';
import { Db } from '../../database/db.service';
import { Allocation, COMMITMENT_STATUSES } from '../../funding/allocation.entity';
import { periodCode } from '../../funding/period';
import { SourceKind } from '../../funding/source-kind.entity';
import { Milestone } from '../../milestones/milestone.entity';
import { Organisation } from '../../organisations/organisation.entity';
import { OutputMetric } from '../../outputs/output.entities';
import { PeriodsService } from '../../periods/periods.service';
import { asOfDate, wallClockDate } from '../../periods/programme-clock';
import { Programme } from '../../programmes/programme.entity';
import { Theme } from '../../programmes/theme.entity';
import { ProjectPool } from '../../projects/project-pool.entity';
import { Project } from '../../projects/project.entity';
import { Option, OptionSet } from './kind-forms';

export type Presented = Awaited<ReturnType<ChangeRequestsService['get']>>;

/** The words of each state, and the colour of its tag (GOV.UK tag modifiers). */
export const STATE_TAGS: Record<ChangeState, { text: string; classes: string }> = {
  draft: { text: 'Draft', classes: 'govuk-tag--grey' },
  submitted: { text: 'Submitted', classes: 'govuk-tag--yellow' },
  approved: { text: 'Approved', classes: 'govuk-tag--green' },
  rejected: { text: 'Rejected', classes: 'govuk-tag--red' },
  withdrawn: { text: 'Withdrawn', classes: 'govuk-tag--purple' },
};

/**
 * What the change-request pages read beyond the change service: the programme asked for, the
 * lists the forms choose from (a fixed number of queries, one per table), and the before/after
 * as rows a person reads. No rules: drafting, submitting, deciding and previewing are the
 * change feature's own services.
 */
@Injectable()
export class ChangePagesService {
  constructor(
    private readonly db: Db,
    private readonly periods: PeriodsService,
    private readonly approval: ApprovalService,
  ) {}

  /** The programme named, or the first one; with every programme for the chooser. */
  programme(code: string | undefined) {
    return this.db.read(async (m) => {
      const all = await m.find(Programme, { order: { id: 'ASC' } });
      const prog = code ? all.find((p) => p.code === code) : all[0];
      if (!prog) throw new NotFoundError('programme', code ?? '(none loaded)', 'programme');
      return { prog, all: all.map((p) => ({ code: p.code, name: p.name })) };
    });
  }

  /**
   * Every list a kind's form may offer, labelled by name: nine queries whatever the programme's
   * size. Given a project-scoped actor (a programme manager), only what they may raise changes
   * for, as the change feature's scope rule has it (changes/change-access.ts): their projects,
   * those projects' allocations and milestones, and nothing held at programme level.
   */
  options(prog: Programme, actor?: Actor): Promise<Record<OptionSet, Option[]>> {
    return this.db.read(async (m) => {
      const every = await m.find(Project, { where: { programmeId: prog.id }, order: { name: 'ASC' } });
      const scoped = actor !== undefined && isProjectScoped(actor.role);
      const inScope = actor ? projectScopeTest(actor) : () => true;
      const projects = scoped ? every.filter((p) => inScope(prog.code, p.code)) : every;
      const kinds = await m.find(SourceKind, { order: { code: 'ASC' } });
      const allocations = await m.find(Allocation, {
        where: { programmeId: prog.id, approvalState: 'approved' },
        order: { id: 'ASC' },
      });
      const pools = await m.find(ProjectPool, { where: { programmeId: prog.id } });
      const milestones = await m.find(Milestone, { where: { programmeId: prog.id }, order: { id: 'ASC' } });
      const metrics = await m.find(OutputMetric, { order: { code: 'ASC' } });
      const themes = await m.find(Theme, { where: { programmeId: prog.id }, order: { code: 'ASC' } });
      const organisations = await m.find(Organisation, { order: { name: 'ASC' } });
      const submitted = await this.periods.submittedQuarters(m, prog.id);

      const projectById = new Map(every.map((p) => [p.id, p]));
      const mine = new Set(projects.map((p) => p.id));
      const ours = (projectId: number | null) => !scoped || (projectId !== null && mine.has(projectId));
      const poolById = new Map(pools.map((p) => [p.id, p]));
      const kindLabel = new Map(kinds.map((k) => [k.code, k.label]));
      const projectText = (p: Project) => `${p.name} (${p.code})`;
      const holder = (a: Allocation) => {
        const p = a.projectId ? projectById.get(a.projectId) : undefined;
        if (p) return projectText(p);
        const pool = a.poolId ? poolById.get(a.poolId) : undefined;
        return pool ? `${pool.name} (pool)` : 'The programme';
      };
      const live = allocations
        .filter((a) => a.commitmentStatus !== 'withdrawn' && ours(a.projectId))
        .map((a) => ({
          value: String(a.id),
          text: `${holder(a)} – ${kindLabel.get(a.sourceKind) ?? a.sourceKind} – ${periodCode(a.periodKind, a.yearFrom, a.yearTo)} – ${displayPounds(a.amountPence)} (${a.commitmentStatus})`,
        }))
        .sort((a, b) => a.text.localeCompare(b.text));
      const quarters = quarterRange(this.periods.firstQuarter(prog), this.periods.lastQuarter(prog)).map((q) => {
        const code = `${formatFiscalYear(q.year)} Q${q.q}`;
        return { value: code, text: submitted.has(code) ? `${code} (return submitted)` : code };
      });
      const first = this.periods.firstQuarter(prog).year;
      const last = this.periods.lastQuarter(prog).year;
      const years: Option[] = [];
      for (let y = first; y <= last; y++) years.push({ value: formatFiscalYear(y), text: formatFiscalYear(y) });
      years.push({ value: 'unprofiled', text: 'Unprofiled (no year split)' });
      const metricOptions = metrics.map((x) => ({ value: x.code, text: `${x.name} (${x.unit})` }));
      return {
        projects: projects.map((p) => ({ value: p.code, text: projectText(p) })),
        sourceKinds: kinds.map((k) => ({ value: k.code, text: `${k.label} (${k.code})` })),
        quarters,
        years,
        allocations: live,
        allocationsOrHeadroom: [
          ...live,
          ...(scoped
            ? []
            : kinds.map((k) => ({ value: `headroom:${k.code}`, text: `Headroom of ${k.label} (${k.code})` }))),
        ],
        milestones: milestones
          .filter((x) => ours(x.projectId))
          .map((x) => {
            const p = x.projectId ? projectById.get(x.projectId) : undefined;
            return {
              value: String(x.id),
              text: `${p ? projectText(p) : 'Deal commitment'}: ${x.title}${x.baselineDate ? ` (baseline ${longDate(x.baselineDate, '')})` : ''}`,
            };
          }),
        metrics: metricOptions,
        themes: themes.map((t) => ({ value: t.code, text: t.name })),
        organisations: organisations.map((o) => ({ value: o.code, text: o.name })),
        commitments: COMMITMENT_STATUSES.filter((s) => s !== 'withdrawn').map((s) => ({
          value: s,
          text: s.charAt(0).toUpperCase() + s.slice(1),
        })),
        reductionModes: [
          { value: 'release', text: 'Released to the headroom (recycled within the programme)' },
          { value: 'reduce_envelope', text: 'Recovered by the funder (the envelope goes down too)' },
        ],
        addStatuses: [
          { value: 'pipeline', text: 'Pipeline' },
          { value: 'approved', text: 'Approved' },
          { value: 'in_delivery', text: 'In delivery' },
        ],
        targetHolders: [
          ...(scoped ? [] : [{ value: '*', text: 'The programme as a whole' }]),
          ...projects.map((p) => ({ value: p.code, text: projectText(p) })),
        ],
      };
    });
  }

  /**
   * A posted project box outside the actor's scope (a programme manager's projects): the problem
   * names the box and the project in words. One query; nothing for unscoped roles.
   */
  async outOfScope(prog: Programme, actor: Actor, boxes: [field: string, value: string][]): Promise<FieldProblem[]> {
    const named = boxes.filter(([, v]) => v !== '' && v !== '*');
    if (!isProjectScoped(actor.role) || !named.length) return [];
    const inScope = projectScopeTest(actor);
    const projects = await this.db.read((m) =>
      m.find(Project, { where: { programmeId: prog.id }, select: { code: true, name: true } }),
    );
    const names = new Map(projects.map((p) => [p.code, `${p.name} (${p.code})`]));
    return named
      .filter(([, v]) => !inScope(prog.code, v))
      .map(([field, v]) => ({
        field,
        problem: `choose one of your projects: ${names.get(v) ?? v} is not assigned to you`,
      }));
  }

  /**
   * Before and after as rows. Approved: what approval recorded. Draft or submitted: what
   * approving would change now (ApprovalService.preview: the same apply, rolled back), or why
   * it could not be approved today. Rejected or withdrawn: nothing moved.
   */
  async changes(prog: Programme, cr: Presented, actor: Actor, projects: Map<string, string>) {
    if (cr.state === 'approved') return { rows: diffRows(cr.before, cr.after, projects), preview: false };
    if (cr.state !== 'draft' && cr.state !== 'submitted') return { rows: [], preview: false };
    const p = await this.approval.preview(prog.code, cr.number, actor);
    if (p.refusal) return { rows: [], preview: true, refusal: p.refusal.message };
    return { rows: diffRows(p.before, p.after, projects), preview: true };
  }

  /** Each step recorded: who, the programme date (its as-of date, or the day) and the wall clock. */
  history(prog: Programme, cr: Presented) {
    const step = (what: string, who: string | null, at: string | null, quarter?: string | null) =>
      who && at
        ? [
            {
              what,
              who: who.replace(/\s*<[^>]*>$/, ''),
              programmeDate: asOfDate(prog, wallClockDate(new Date(at))),
              quarter: quarter ?? null,
              at,
            },
          ]
        : [];
    const decided = cr.state === 'approved' ? 'Approved' : cr.state === 'rejected' ? 'Rejected' : '';
    return [
      ...step('Drafted', cr.createdBy, cr.createdAt),
      ...step('Submitted for approval', cr.submittedBy, cr.submittedAt),
      ...(decided ? step(decided, cr.decidedBy, cr.decidedAt, cr.decidedQuarter) : []),
    ];
  }
}

/**
 * change-diff's rows, worded for the page: the item named by project names rather than codes or
 * row ids ("Stafford Western Access Route (SWAR), LGF"), the field without its list's name.
 */
export function diffRows(before: unknown, after: unknown, projects: Map<string, string>) {
  // A thing that exists on one side only is named by its label; its naming fields are not changes.
  const naming = new Set(['source kind', 'project', 'pool', 'period']);
  const oneSided = (r: { before: string; after: string }) =>
    r.before === '(did not exist)' || r.after === '(not in the after state)';
  const rows = changeDiffRows(before, after).filter((r) => !(oneSided(r) && naming.has(r.field)));
  return rows.map((r) => {
    const m = /^(\w[\w ]*?)(?: \d+)? \((.*)\)$/.exec(r.item);
    const item = m
      ? `${m[1].charAt(0).toUpperCase()}${m[1].slice(1)}: ${m[2]
          .split(', ')
          .map((x) => projects.get(x) ?? x)
          .join(', ')}`
      : r.item.charAt(0).toUpperCase() + r.item.slice(1);
    return { item, field: r.field.replace(/^quarters /, ''), before: r.before, after: r.after };
  });
}
