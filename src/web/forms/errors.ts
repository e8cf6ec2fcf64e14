import { ValidationError as ClassValidatorError } from 'class-validator';
import { DomainError, FieldProblem, ValidationError } from '../../common/errors';

/** What the layout's error summary and each field's error message read. */
export interface FormErrors {
  /** For govukErrorSummary: each links to its field. */
  list: { text: string; href: string }[];
  /** For each component's `errorMessage` (false when the field has none: the macros skip it). */
  field: Record<string, { text: string } | false>;
}

/** "name" → "Name", "lastSignInAt" → "Last sign in at": for messages that start with a rule. */
const humanise = (field: string) => {
  const words = field
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * Problems → the error summary and field messages. A problem that reads as a rule ("must be
 * 1-200 characters") is prefixed with the field's label ("Name must be ..."); one that is a
 * whole sentence ("Enter a password") stands. `ids` maps a field to its input's id when they
 * differ (a date input's first box, say).
 */
export function formErrors(
  problems: FieldProblem[],
  labels: Record<string, string> = {},
  ids: Record<string, string> = {},
): FormErrors {
  const out: FormErrors = { list: [], field: {} };
  for (const p of problems) {
    if (out.field[p.field]) continue;
    const startsLower = /^[a-z]/.test(p.problem);
    const text = startsLower ? `${labels[p.field] ?? humanise(p.field)} ${p.problem}` : p.problem;
    out.list.push({ text, href: `#${ids[p.field] ?? p.field}` });
    out.field[p.field] = { text };
  }
  return out;
}

/** Field problems from a thrown error, or undefined when it is not about the form's input. */
export function problemsOf(e: unknown): FieldProblem[] | undefined {
  if (e instanceof ValidationError) return e.problems;
  if (Array.isArray(e) && e.every((x) => x instanceof ClassValidatorError)) return classValidatorProblems(e);
  if (e instanceof DomainError && e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 403) {
    const field = typeof e.details?.field === 'string' ? e.details.field : 'form';
    // Domain messages already begin "field: ..."; the summary shows the sentence only.
    const message = e.message.startsWith(`${field}: `) ? e.message.slice(field.length + 2) : e.message;
    return [{ field, problem: message.charAt(0).toUpperCase() + message.slice(1) }];
  }
  return undefined;
}

export function classValidatorProblems(errors: ClassValidatorError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((problem) => ({ field, problem }));
    return [...own, ...classValidatorProblems(e.children ?? [], field)];
  });
}
