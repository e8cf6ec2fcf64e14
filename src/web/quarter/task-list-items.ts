import nunjucks from 'nunjucks';

/** The characters Nunjucks's autoescape replaces, and with what (nunjucks/src/lib.js), so the page reads the same. */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '"': '&quot;',
  "'": '&#39;',
  '<': '&lt;',
  '>': '&gt;',
  '\\': '&#92;',
};
const SPECIAL = /[&"'<>\\]/;
const escapeHtml = (v: unknown) => {
  const s = String(v ?? '');
  return SPECIAL.test(s) ? s.replace(/[&"'<>\\]/g, (c) => ESCAPES[c]) : s;
};

/** A status's tag colour, as the task list shows it. */
export const TAG_CLASSES: Record<string, string> = {
  not_started: 'govuk-tag--grey',
  in_progress: 'govuk-tag--light-blue',
  submitted: 'govuk-tag--yellow',
  returned: 'govuk-tag--red',
  accepted: 'govuk-tag--green',
};

export interface TaskListRow {
  code: string;
  name: string;
  status: string;
  statusLabel: string;
}

/**
 * GOV.UK Frontend's task list items (the markup `govukTaskList` writes: classes, ids,
 * `aria-describedby`; test/task-list-markup.e2e-spec.ts compares them) for the quarter's
 * projects, every value escaped as autoescape does. Written here rather than as a template
 * loop: a national programme lists hundreds of projects, and Nunjucks's per-value lookups,
 * frames and escapes made the loop most of the page's rendering (about 7 µs a row).
 */
export function taskListItems(rows: readonly TaskListRow[], programmeQuery?: string): nunjucks.runtime.SafeString {
  const query = escapeHtml(programmeQuery);
  // One array joined once: a string grown by += is a rope of thousands of pieces, and flattening
  // it when the page is sent cost more than writing it.
  const items: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const id = `project-${i + 1}`;
    const code = escapeHtml(r.code);
    items[i] =
      `<li class="govuk-task-list__item govuk-task-list__item--with-link"><div class="govuk-task-list__name-and-hint">` +
      `<a class="govuk-link govuk-task-list__link" href="/manage/quarter/${code}${query}" aria-describedby="${id}-hint ${id}-status">${escapeHtml(r.name)}</a>` +
      `<div id="${id}-hint" class="govuk-task-list__hint">${code}</div></div>` +
      `<div class="govuk-task-list__status" id="${id}-status"><strong class="govuk-tag ${escapeHtml(TAG_CLASSES[r.status])}">${escapeHtml(r.statusLabel)}</strong></div></li>\n`;
  }
  return new nunjucks.runtime.SafeString(items.join(''));
}
