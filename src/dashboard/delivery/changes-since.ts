import { Injectable } from '@nestjs/common';
import { ChangeKindRegistry } from '../../changes/kinds/kind';
import { addQuarters, formatQuarter, parseQuarter, quarterEnd, quarterStart } from '../../common/fiscal';
import { displayPounds } from '../../common/money';
import { Db } from '../../database/db.service';
import { PeriodsService } from '../../periods/periods.service';
import { findProgramme } from '../../programmes/programme-lookup';
import { html, join } from '../html';
import { layout } from '../views/layout';
import { millions } from '../views/parts';
import { decidedChanges, deliveredOutputs, milestoneRows, spendByQuarter } from './delivery.queries';
import { longDate, projectHref } from './links';
import { lateMilestones } from './public-milestones.section';
import { milestoneSlipDays } from '../../rag/rag';
import { changeItem, describeChanges, quantity, type DescribedChange } from './project.sections';
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
      const snaps: { id: unknown; snapshot: string }[] = await m
        .createQueryBuilder()
        .from('return_version', 'r')
        .select(['r.id AS id', 'r.snapshot AS snapshot'])
        .where('r.id IN (:...ids)', { ids: [last.id, ...(prev ? [prev.id] : [])] })
        .getRawMany();
      const parse = (id: number) => {
        try {
          return JSON.parse(snaps.find((s) => Number(s.id) === id)?.snapshot ?? 'null') as unknown;
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

function changeList(items: DescribedChange[], none: string) {
  return items.length ? html`<ul class="changes">${items.map(changeItem)}</ul>` : html`<p>${none}</p>`;
}

export function changesSincePage(o: Model): string {
  const prog = `/programmes/${encodeURIComponent(o.programme.code)}`;
  const crumbs = [{ href: prog, label: o.programme.name }];
  if (!o.last) {
    return layout({
      title: `What changed: ${o.programme.name}`,
      crumbs,
      body: html`<h1>What changed since the last return</h1><p>No quarterly return has been submitted yet, so there is nothing to compare. The reporting quarter is ${o.reportingQuarter}.</p>`,
    });
  }
  const { last, prev, spend } = o;
  const actual = spend ? (spend.actualPence ?? 0) + spend.adjustmentsPence : 0;
  const body = html`<h1>What changed since the last return</h1>
<p class="lede">The last submitted return is for <strong>${last.quarter}</strong> (version ${last.version}, submitted ${longDate(last.submittedOn)}). ${prev ? html`It is compared with the return before it, for ${prev.quarter} (version ${prev.version}, submitted ${longDate(prev.submittedOn)}).` : 'It is the first return, so there is no earlier return to compare with.'}</p>
<h2 id="money">Money</h2>
${spend ? html`<p id="quarter-spend">In ${last.quarter}, ${millions(actual)} was spent (<span class="exact">${displayPounds(actual)}</span>) against ${millions(spend.baselinePence)} in the baseline profile (<span class="exact">${displayPounds(spend.baselinePence)}</span>): ${actual === spend.baselinePence ? 'exactly on profile' : html`${millions(Math.abs(actual - spend.baselinePence))} ${actual < spend.baselinePence ? 'less' : 'more'} than profiled`}.</p>` : html`<p>No spend was profiled or recorded for ${last.quarter}.</p>`}
<h3>Change requests decided between the two returns</h3>
${changeList(o.inPeriod, prev ? `No change request was approved or rejected in ${quarterSpan(prev.quarter, last.quarter)}.` : `No change request was approved or rejected up to the end of ${last.quarter}.`)}
<h3>Decided since the last return <span class="source">(not yet in a submitted return)</span></h3>
${changeList(o.since, `Nothing has been decided in the quarters after ${last.quarter}.`)}
<h2 id="milestones">Milestones</h2>
<p>${o.reached.length ? `${o.reached.length} milestone${o.reached.length === 1 ? ' was' : 's were'} reached in ${last.quarter}:` : `No milestone was reached in ${last.quarter}.`}</p>
${o.reached.length ? html`<ul id="milestones-reached">${o.reached.map((x) => html`<li><a href="${projectHref(o.programme.code, x.projectCode ?? '')}">${x.projectName}</a>: ${x.title}, done on ${longDate(x.actualDate)}${(milestoneSlipDays(x) ?? 0) > 0 ? ` (baseline ${longDate(x.baselineDate)})` : ''}.</li>`)}</ul>` : ''}
<p>Milestones slipped past their baseline date, as recorded now (${o.closed ? `every quarterly return is submitted, the last for ${o.reportingQuarter}` : `the reporting quarter ${o.reportingQuarter} is not yet submitted`}): ${
    o.late.length
      ? join(
          o.late.map((l) => html`${l.projectName}, ${l.title} (${l.daysLate} days late)`),
          '; ',
        )
      : 'none'
  }.</p>
<h2 id="outputs">Outputs delivered in ${last.quarter}</h2>
${o.outputs.length ? html`<table id="outputs-in-quarter"><caption>Outputs delivered in ${last.quarter}, by project</caption><thead><tr><th scope="col">Project</th><th scope="col">Output</th><th scope="col" class="num">Delivered</th></tr></thead><tbody>${o.outputs.map((x) => html`<tr><th scope="row">${x.projectName}</th><td>${x.name}</td><td class="num">${quantity(x.value, x)}</td></tr>`)}</tbody></table>` : html`<p>No outputs were recorded for ${last.quarter}.</p>`}
<h2 id="return-differences">Differences between the two returns, section by section</h2>
${!prev ? html`<p>There is no earlier return to compare with.</p>` : o.sectionDiffs.length ? o.sectionDiffs.map((d) => html`<h3>${d.title}</h3>${d.changes.length || d.added.length || d.removed.length ? html`<ul>${d.changes.map((c) => html`<li>${c}</li>`)}${d.added.map((k) => html`<li>New line: ${k}</li>`)}${d.removed.map((k) => html`<li>No longer reported: ${k}</li>`)}</ul>` : html`<p>No differences.</p>`}`) : html`<p>The two returns hold no sections that can be compared line by line.</p>`}
<p><a href="${prog}">Back to the programme overview</a></p>`;
  return layout({ title: `What changed: ${o.programme.name}`, crumbs, body, illustrative: o.illustrative });
}
