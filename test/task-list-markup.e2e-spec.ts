import nunjucks from 'nunjucks';
import { comparableHtml } from '../src/bench/task-list-http';
import { govukDir, viewsDir } from '../src/web/setup';
import { addFilters } from '../src/web/view-filters';

/**
 * The task list page writes GOV.UK Frontend's task list markup in a loop (the macro costs
 * several times as much per row, and a national programme lists hundreds of projects). This
 * keeps the loop honest: the same items through `govukTaskList` give the same markup.
 */
describe('the quarter task list markup', () => {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([viewsDir(), govukDir()]), { autoescape: true });
  addFilters(env);
  const rows = [
    { code: 'ETRURIA', name: 'Etruria Valley & "Link" <road>', status: 'not_started', statusLabel: 'Not started' },
    { code: 'MEAFORD', name: 'Meaford', status: 'in_progress', statusLabel: 'In progress' },
    { code: 'SWAR', name: 'Stafford Western Access Route', status: 'submitted', statusLabel: 'Submitted' },
    { code: 'LSTP', name: 'Lichfield Southern Bypass', status: 'returned', statusLabel: 'Returned' },
    { code: 'AMSH', name: "Stoke's Advanced Manufacturing Skills Hub", status: 'accepted', statusLabel: 'Accepted' },
  ];
  const tags: Record<string, string> = {
    not_started: 'govuk-tag--grey',
    in_progress: 'govuk-tag--light-blue',
    submitted: 'govuk-tag--yellow',
    returned: 'govuk-tag--red',
    accepted: 'govuk-tag--green',
  };
  const list = (html: string) => /<ul class="govuk-task-list">[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';

  it('is what govukTaskList writes for the same items, escaping included', () => {
    const page = env.render('quarter/task-list.njk', {
      rows,
      counts: { accepted: 1, submitted: 1, returned: 1, in_progress: 1, not_started: 1 },
      programme: { name: 'A deal' },
      quarter: '2015-16 Q1',
    });
    const macro = env.renderString(
      '{% from "govuk/components/task-list/macro.njk" import govukTaskList %}{{ govukTaskList({ idPrefix: "project", items: items }) }}',
      {
        items: rows.map((r) => ({
          title: { text: r.name },
          hint: { text: r.code },
          href: `/manage/quarter/${r.code}`,
          status: { tag: { text: r.statusLabel, classes: tags[r.status] } },
        })),
      },
    );
    expect(list(page)).toContain('Etruria Valley &amp; &quot;Link&quot; &lt;road&gt;');
    expect(list(page).match(/govuk-task-list__item /g)).toHaveLength(5);
    expect(comparableHtml(list(page))).toBe(comparableHtml(list(macro)));
  });
});
