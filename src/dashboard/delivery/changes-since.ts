import { Injectable } from '@nestjs/common';
import { ChangeKindRegistry } from '../../changes/kinds/kind';
import { addQuarters, formatQuarter, parseQuarter, quarterEnd, quarterStart } from '../../common/fiscal';
import { Db } from '../../database/db.service';
import { PeriodsService } from '../../periods/periods.service';
import { findProgramme } from '../../programmes/programme-lookup';
import { decidedChanges, deliveredOutputs, milestoneRows, spendByQuarter } from './delivery.queries';
import { longDate, projectHref } from './links';
import { lateMilestones } from './public-milestones.section';
import { milestoneSlipDays } from '../../rag/rag';
import { describeChanges, quantity, type DescribedChange } from './project.sections';
import { readSnapshots } from '../../periods/return-snapshot';
import { diffSnapshots, type SectionDiff } from './snapshot-diff';
import { decisionPlace } from '../../periods/programme-clock';

interface ReturnRef {
  id: number;
  quarter: string;
  version: number;
  /** Wall-clock instant, recorded. */
  submittedAt: string;
  /** Programme date of the submission (programme time): what the page says. */
  submittedOn: string;
}

/**
 * "What changed since the last return": the last submitted return against the one before it.
 * Figures of submitted quarters are frozen (actuals lock), so the quarter's spend, outputs and
 * milestones reached are read from them; differences between the two frozen snapshots are
 * listed section by section; anything decided after the last return is labelled as not yet
 * submitted. Programme time places each decision: a change belongs to the programme quarter it
 * was decided in, so "since the last return" means decided in the quarters after the last
 * submitted one, whatever the wall clock said. A handful of queries, none per project.
 */
@Injectable()
export class ChangesSinceService {
  constructor(
    private readonly db: Db,
    private readonly periods: PeriodsService,
    private readonly kinds: ChangeKindRegistry,
  ) {}

  model(code: string) {
    return this.db.read(async (m) => {
      const p = await findProgramme(m, code);
      const reportingQuarter = formatQuarter(await this.periods.currentQuarter(m, p));
      const versions: Record<string, unknown>[] = await m
        .createQueryBuilder()
        .from('return_version', 'r')
        .select([
          'r.id AS id',
          'r.quarter AS quarter',
          'r.version AS version',
          'r.submitted_at AS submitted_at',
          'r.submitted_on AS submitted_on',
        ])
        .where('r.programme_id = :id', { id: p.id })
        .orderBy('r.quarter', 'DESC')
        .addOrderBy('r.version', 'DESC')
        .getRawMany();
      const latest: ReturnRef[] = [];
      for (const v of versions)
        if (!latest.some((x) => x.quarter === v.quarter))
          latest.push({
            id: Number(v.id),
            quarter: String(v.quarter),
            version: Number(v.version),
            submittedAt: String(v.submitted_at),
            submittedOn: String(v.submitted_on ?? v.submitted_at).slice(0, 10),
          });
      const [last, prev] = latest;
      const closed = await this.periods.isLocked(m, p.id, reportingQuarter);
      const base = { programme: { code: p.code, name: p.name }, reportingQuarter, closed, illustrative: p.synthetic };
      if (!last) return { ...base, last: null, prev: null } as const;
      const snaps = await readSnapshots(m, [last.id, ...(prev ? [prev.id] : [])]);
      const parse = (id: number) => {
        try {
          return JSON.parse(snaps.get(id) ?? 'null') as unknown;
        } catch {
          return null;
        }
      };
      const sectionDiffs: SectionDiff[] = prev ? diffSnapshots(parse(prev.id), parse(last.id)) : [];
      const q = parseQuarter(last.quarter);
      const spend = (await spendByQuarter(m, p.id)).find((r) => r.quarter === last.quarter) ?? null;
      const outputs = await deliveredOutputs(m, p.id, { from: last.quarter, before: formatQuarter(addQuarters(q, 1)) });
      const milestones = await milestoneRows(m, p.id);
      const reached = milestones.filter(
        (x) => x.actualDate && x.actualDate >= quarterStart(q) && x.actualDate <= quarterEnd(q),
      );
      const late = lateMilestones(milestones, quarterEnd(parseQuarter(reportingQuarter))).filter((l) => !l.done);
      const changes = await describeChanges({ m }, p.id, this.kinds, await decidedChanges(m, p.id));
      const place = (c: DescribedChange) =>
        c.decidedQuarter
          ? decisionPlace(c.decidedQuarter, last.quarter, prev?.quarter ?? null)
          : c.decidedAt > last.submittedAt
            ? 'since'
            : 'in_last';
      const inPeriod = changes.filter((c) => place(c) === 'in_last');
      const since = changes.filter((c) => place(c) === 'since');
      const illustrative =
        base.illustrative ||
        !!spend?.illustrative ||
        outputs.some((o) => o.illustrative) ||
        milestones.some((x) => x.illustrative);
      return {
        ...base,
        illustrative,
        last,
        prev: prev ?? null,
        sectionDiffs,
        spend,
        outputs,
        reached,
        late,
        inPeriod,
        since,
      };
    });
  }
}

type Model = Awaited<ReturnType<ChangesSinceService['model']>>;

/** "2016-17 Q3" or "2016-17 Q1 to 2016-17 Q3": the quarters after `prev` up to `last`. */
function quarterSpan(prev: string, last: string): string {
  const first = formatQuarter(addQuarters(parseQuarter(prev), 1));
  return first === last ? last : `${first} to ${last}`;
}

/**
 * The page's figures and words, shaped for views/public/changes-since.njk (src/web): no markup
 * here. Null `last`: nothing submitted yet.
 */
export function changesSinceView(o: Model) {
  const prog = `/programmes/${encodeURIComponent(o.programme.code)}`;
  const base = { ...o, prog, crumbs: [{ href: prog, label: o.programme.name }] };
  if (!o.last) return { ...base, illustrative: false };
  const { last, prev, spend } = o;
  const actual = spend ? (spend.actualPence ?? 0) + spend.adjustmentsPence : 0;
  return {
    ...base,
    spendWords: spend
      ? {
          actualPence: actual,
          baselinePence: spend.baselinePence,
          onProfile: actual === spend.baselinePence,
          differencePence: Math.abs(actual - spend.baselinePence),
          direction: actual < spend.baselinePence ? 'less' : 'more',
        }
      : null,
    noneInPeriod: prev
      ? `No change request was approved or rejected in ${quarterSpan(prev.quarter, last.quarter)}.`
      : `No change request was approved or rejected up to the end of ${last.quarter}.`,
    reachedItems: o.reached.map((x) => ({
      href: projectHref(o.programme.code, x.projectCode ?? ''),
      projectName: x.projectName,
      title: x.title,
      done: longDate(x.actualDate),
      baseline: (milestoneSlipDays(x) ?? 0) > 0 ? longDate(x.baselineDate) : null,
    })),
    outputRows: o.outputs.map((x) => ({ projectName: x.projectName, name: x.name, delivered: quantity(x.value, x) })),
  };
}
