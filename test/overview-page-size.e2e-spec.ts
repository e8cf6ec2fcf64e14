import { GeneratorService } from '../src/generator/generator.service';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The programme page of a large programme stays light (issue 17: 952 KB before): its long lists
 * (the projects' RAG, the late milestones, the projects' funding and its chart) show their first
 * 25 rows, each with a link to the page at ?all=1, where every row is, the exact count in the link.
 */
describe.each(databaseKinds())('the programme page of a programme of over 400 projects on %s', (kind) => {
  let t: TestApp;
  let code: string;
  let projects: number;
  beforeAll(async () => {
    t = await startTestApp(kind);
    // One LEP, 560 projects: its largest programme has 414 (the generator's seed 1 plan).
    const gen = await t.app.get(GeneratorService).generate({ leps: 1, projects: 560, quarters: 40, seed: 1 });
    const largest = [...gen.plan.seeds].sort((a, b) => b.projects.length - a.projects.length)[0];
    code = largest.programme.code;
    projects = largest.projects.length;
  }, 600_000);
  afterAll(async () => t?.close());

  const rows = (html: string, re: RegExp) => html.match(re)?.length ?? 0;
  const table = (html: string, id: string) =>
    html.slice(html.indexOf(`<table id="${id}"`), html.indexOf('</table>', html.indexOf(`<table id="${id}"`)));

  it('is under 200,000 bytes, each long list cut to 25 rows with a link to all of them, counted exactly', async () => {
    expect(projects).toBeGreaterThanOrEqual(400);
    const json = await t.anonymous('GET', `/api/programmes/${code}/overview`);
    expect(json.status).toBe(200);
    const late = (json.body.sections as { id: string; data: { late: unknown[] } }[]).find(
      (s) => s.id === 'late-milestones',
    )!.data.late.length;
    expect(late).toBeGreaterThan(25);
    expect(json.body.projects).toHaveLength(projects);

    const page = await t.anonymous('GET', `/programmes/${code}`);
    expect(page.status).toBe(200);
    expect(Buffer.byteLength(page.text, 'utf8')).toBeLessThan(200_000);
    expect(rows(table(page.text, 'rag-summary'), /<tr data-project="/g)).toBe(25);
    expect(rows(table(page.text, 'late-milestones'), /<tr><th scope="row">/g)).toBe(25);
    expect(page.text).toContain(
      `<a href="/programmes/${code}?all=1#section-rag">All ${projects} projects' ratings</a>`,
    );
    expect(page.text).toContain(
      `<a href="/programmes/${code}?all=1#section-late-milestones">All ${late} milestones late, or completed late</a>`,
    );
    expect(page.text).toContain(`<a href="/programmes/${code}?all=1#projects">All ${projects} projects</a>`);
    expect(page.text).toContain(`The 25 projects with the most capital promised, of ${projects}, by source`);
    const projectLinks = (html: string) =>
      new Set(html.match(new RegExp(`href="/programmes/${code}/projects/[^"#]+"`, 'g'))).size;
    expect(projectLinks(page.text)).toBeLessThan(80);

    // One click away: the same page with every list in full.
    const all = await t.anonymous('GET', `/programmes/${code}?all=1`);
    expect(all.status).toBe(200);
    expect(rows(table(all.text, 'rag-summary'), /<tr data-project="/g)).toBe(projects);
    expect(rows(table(all.text, 'late-milestones'), /<tr><th scope="row">/g)).toBe(late);
    expect(projectLinks(all.text)).toBe(projects);
    expect(all.text).not.toContain('class="more"');
    expect(Buffer.byteLength(all.text, 'utf8')).toBeGreaterThan(400_000);
  });

  it('refuses any other ?all, naming the field', async () => {
    const r = await t.anonymous('GET', `/programmes/${code}?all=yes`);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('all: must be 1 (every list in full) or left out');
  });
});
