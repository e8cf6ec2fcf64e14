import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { DomainError, ValidationError } from '../../common/errors';

/** The `?programme=` of a request (empty or not a string: none). */
export function programmeParam(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The request's `?programme=CODE`, or undefined (absent, empty or repeated). */
export const ProgrammeQuery = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined =>
  programmeParam((ctx.switchToHttp().getRequest<{ query?: Record<string, unknown> }>().query ?? {}).programme),
);

/** `?programme=CODE`, or nothing when the page was reached without one (one programme: unchanged URLs). */
export function programmeQuery(programme: string | undefined): string {
  return programme ? `?programme=${encodeURIComponent(programme)}` : '';
}

/**
 * A page of a project's quarterly update. Project codes are unique only within a programme, so
 * every link, form and redirect of the update keeps the programme it was reached with.
 */
export function updateUrl(programme: string | undefined, project: string, part?: string): string {
  const path = `/manage/quarter/${encodeURIComponent(project)}${part ? `/${part}` : ''}`;
  return `${path}${programmeQuery(programme)}`;
}

/** The partner spreadsheet's page (or its `template`) of a project, keeping the programme likewise. */
export function workbookUrl(programme: string | undefined, project: string, part?: string): string {
  const path = `/manage/partner-workbook/${encodeURIComponent(project)}${part ? `/${part}` : ''}`;
  return `${path}${programmeQuery(programme)}`;
}

/** Asked for a project without a programme while there are several: a 400 that says to choose one. */
export class ChooseProgrammeError extends DomainError {
  readonly link = { href: '/manage/quarter', text: 'Choose the programme on the quarter page' };
  constructor(project: string) {
    super(
      'PROGRAMME_REQUIRED',
      `There is more than one programme, and ${project} may be a project of several: choose the programme first, then the project from its list.`,
      400,
      { field: 'programme' },
    );
  }
}

/** True when the services refused for want of a programme: none was named and there are several. */
export function needsProgramme(programme: string | undefined, e: unknown): boolean {
  return programme === undefined && e instanceof ValidationError && e.problems.some((p) => p.field === 'programme');
}

/**
 * Runs a read or write of the update; with no programme named and several in the database the
 * services refuse (`onlyProgramme`), which becomes ChooseProgrammeError (never a 500).
 */
export async function withProgramme<T>(
  programme: string | undefined,
  project: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (needsProgramme(programme, e)) throw new ChooseProgrammeError(project);
    throw e;
  }
}
