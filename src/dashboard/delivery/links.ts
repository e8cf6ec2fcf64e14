import type { SectionContext } from '../sections';

/** Where a section's chart CSV is served: the overview's or the project page's data folder. */
export function csvHref(ctx: SectionContext, chartId: string): string {
  const prog = `/programmes/${encodeURIComponent(ctx.programme.code)}`;
  return ctx.project
    ? `${prog}/projects/${encodeURIComponent(ctx.project.code)}/data/${chartId}.csv`
    : `${prog}/data/${chartId}.csv`;
}

export function projectHref(programme: string, project: string): string {
  return `/programmes/${encodeURIComponent(programme)}/projects/${encodeURIComponent(project)}`;
}

/** "2016-06-30" → "30 June 2016": dates as people write them. */
export function longDate(d: string | null): string {
  if (!d) return '–';
  const [y, m, day] = d.slice(0, 10).split('-').map(Number);
  const months = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ];
  return `${day} ${months[m - 1]} ${y}`;
}
