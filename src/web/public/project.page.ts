import type { ProjectModel } from '../../dashboard/dashboard.service';
import { periodLabel } from '../../funding/period';
import { agreedView, chartFigureView, sectionView } from './page-parts';

const STATUS_WORDS: Record<string, string> = {
  pipeline: 'In the pipeline',
  approved: 'Approved',
  in_delivery: 'Being delivered',
  complete: 'Complete',
  withdrawn: 'Withdrawn',
};

/** Each change links to where the project page lists it (the change history section). */
const changeHref = (n: number) => `#change-request-${n}`;

/** A project's public page, shaped for views/public/project.njk: words and figures, no markup. */
export function projectPageView(o: ProjectModel) {
  const p = o.project;
  const prog = `/programmes/${encodeURIComponent(o.programme.code)}`;
  const base = `${prog}/projects/${encodeURIComponent(p.code)}`;
  const label = (k: string) => o.kinds.find((x) => x.code === k)?.label ?? k;
  return {
    title: p.name,
    crumbs: [{ href: prog, label: o.programme.name }],
    illustrative:
      o.bySource.some((s) => s.illustrative) || o.agreed.some((l) => l.illustrative) || p.source.illustrative,
    prog,
    project: p,
    statusWords: STATUS_WORDS[p.status] ?? p.status,
    totalPence: o.totalPence,
    bySource: o.bySource,
    shared: o.shared,
    // The deal as agreed beside now, per source of this project's own money (every line, changed or not).
    agreed: o.agreed
      .filter((l) => l.projectId === o.project.id)
      .map((l) => ({ sourceKind: l.sourceKind, label: label(l.sourceKind), line: agreedView(l, changeHref) })),
    charts: o.charts.map((c) => chartFigureView(c, `${base}/data/${c.id}.csv`)),
    allocations: o.allocations.map((a) => {
      // Beside an allocation: what was agreed, where an approved change moved its line.
      const l = o.agreed.find(
        (x) => x.sourceKind === a.sourceKind && (a.poolCode ? x.poolCode === a.poolCode : x.projectId === o.project.id),
      );
      return {
        kind: label(a.sourceKind),
        poolCode: a.poolCode,
        illustrative: a.source.illustrative,
        pence: a.pence,
        agreed: l?.changed ? agreedView(l, changeHref) : null,
        period: periodLabel(a.periodKind, a.yearFrom, a.yearTo),
        commitmentStatus: a.commitmentStatus,
        source: a.source,
      };
    }),
    sections: o.sections.map(sectionView),
  };
}
