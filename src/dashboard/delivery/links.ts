import { longDate as calendarDate } from '../../common/fiscal';
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

/** "2016-06-30" → "30 June 2016"; a missing date is a dash on the public pages. */
export function longDate(d: string | null): string {
  return calendarDate(d, '–');
}
