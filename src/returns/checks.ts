import { RuleViolationError } from '../common/errors';
import { ColumnSpec } from '../xlsx';
import { RankedCheck, ReturnCheck, SECTION_ORDER, SectionTable, SEVERITIES, Severity } from './return-document';

/**
 * Checks are ranked errors, then warnings, then notes (each in section order, then code):
 * errors block submission; every warning needs a written comment; notes inform.
 */
export function rankChecks(checks: ReturnCheck[], comments: Record<string, string> = {}): RankedCheck[] {
  const sorted = [...checks].sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      SECTION_ORDER.indexOf(a.section) - SECTION_ORDER.indexOf(b.section) ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
  return sorted.map((c, i) => ({
    ...c,
    rank: i + 1,
    comment: c.severity === 'warning' ? comments[c.code]?.trim() || null : null,
  }));
}

export function countChecks(checks: ReturnCheck[]): Record<Severity, number> {
  return {
    error: checks.filter((c) => c.severity === 'error').length,
    warning: checks.filter((c) => c.severity === 'warning').length,
    note: checks.filter((c) => c.severity === 'note').length,
  };
}

/** Refuses a submission that has errors, uncommented warnings or comments on no warning. */
export function assertSubmittable(checks: ReturnCheck[], comments: Record<string, string>): void {
  const errors = checks.filter((c) => c.severity === 'error');
  if (errors.length) {
    throw new RuleViolationError(
      'RETURN_HAS_ERRORS',
      `the return cannot be submitted while it has errors: ${errors.map((e) => `${e.code} (${e.message})`).join('; ')}`,
      undefined,
      {
        checks: errors.map((e) => e.code),
      },
    );
  }
  const warningCodes = new Set(checks.filter((c) => c.severity === 'warning').map((c) => c.code));
  const unknown = Object.keys(comments).filter((k) => !warningCodes.has(k));
  if (unknown.length) {
    throw new RuleViolationError(
      'UNKNOWN_CHECK_COMMENT',
      `comments name checks that are not warnings in this return: ${unknown.join(', ')} (warnings: ${[...warningCodes].join(', ') || 'none'})`,
      'comments',
      { checks: unknown },
    );
  }
  const missing = [...warningCodes].filter((code) => !comments[code]?.trim());
  if (missing.length) {
    throw new RuleViolationError(
      'WARNINGS_NEED_COMMENTS',
      `every warning needs a written comment before submission; missing for: ${missing.join(', ')}`,
      'comments',
      { checks: missing },
    );
  }
}

const CHECK_COLUMNS: ColumnSpec[] = [
  { key: 'rank', header: 'Rank', type: 'integer' },
  { key: 'severity', header: 'Severity', type: 'text' },
  { key: 'code', header: 'Check', type: 'text' },
  { key: 'section', header: 'Section', type: 'text' },
  { key: 'message', header: 'What was found', type: 'text', maxWidth: 100 },
  { key: 'comment', header: 'Comment', type: 'text', maxWidth: 80 },
];

export function checksTable(checks: RankedCheck[]): SectionTable {
  return {
    key: 'checks',
    title: 'Checks',
    sheet: 'Checks',
    columns: CHECK_COLUMNS,
    rows: checks.map((c) => ({
      rank: c.rank,
      severity: c.severity,
      code: c.code,
      section: c.section,
      message: c.message,
      comment: c.comment,
    })),
  };
}

/** For the CLI: one line per check, ranked. */
export function formatChecks(checks: RankedCheck[]): string {
  if (!checks.length) return 'no checks raised';
  return checks
    .map(
      (c) =>
        `${String(c.rank).padStart(3)}. ${c.severity.toUpperCase().padEnd(7)} ${c.code} [${c.section}] ${c.message}${c.comment ? ` (comment: ${c.comment})` : ''}`,
    )
    .join('\n');
}
