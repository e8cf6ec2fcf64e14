import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deliverySections } from '../src/dashboard/delivery/delivery-sections';
import { startTestApp, TestApp } from './support/test-app';

/**
 * One way to render HTML (issue 18): every public page comes from a Nunjucks template in the
 * public layout (views/public/layout.njk marks it data-layout="public"), and no TypeScript under
 * src/dashboard builds a page of its own. Which database answers makes no difference, so SQLite
 * alone serves.
 */
const P = '/programmes/SSLEP-GD-2014';
const PAGES = [
  '/',
  '/glossary',
  '/accessibility',
  P,
  `${P}/reconciliation`,
  `${P}/briefing`,
  `${P}/returns`,
  `${P}/changes-since-last-return`,
  `${P}/projects/ETRURIA`,
];

describe('public pages render through the template engine', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { DEMO_DATA: 'true' });
  });
  afterAll(async () => t?.close());

  it.each(PAGES)('%s is the public layout, rendered once', async (url) => {
    const r = await t.anonymous('GET', url);
    expect(r.status).toBe(200);
    expect(String(r.headers['content-type'])).toBe('text/html; charset=utf-8');
    expect(r.text.match(/<html lang="en-GB" data-layout="public">/g)).toHaveLength(1);
    expect(r.text.match(/<main id="content">/g)).toHaveLength(1);
    expect(r.text).not.toContain('data-layout="staff"');
    // Public pages carry no staff menu and start no session.
    expect(r.text).not.toContain('govuk-service-navigation');
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('the HTML 404 page is the public layout too', async () => {
    const r = await t.anonymous('GET', '/no-such-page', undefined, { accept: 'text/html' });
    expect(r.status).toBe(404);
    expect(r.text).toContain('<html lang="en-GB" data-layout="public">');
  });

  it('the staff pages use the same skeleton, in the staff layout', async () => {
    const r = await t.anonymous('GET', '/manage/sign-in');
    expect(r.status).toBe(200);
    expect(r.text).toContain('<html lang="en" class="govuk-template" data-layout="staff">');
  });

  it('no TypeScript under src/dashboard writes a page shell', () => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (e.name.endsWith('.ts') && /<!doctype|<html|<body/i.test(readFileSync(path, 'utf8'))) found.push(path);
      }
    };
    walk(join(__dirname, '..', 'src', 'dashboard'));
    expect(found).toEqual([]);
    // The page builders are gone; what is left in dashboard/views is data, the stylesheet and reflow.
    expect(
      readdirSync(join(__dirname, '..', 'src', 'dashboard', 'views')).filter((f) => f.endsWith('.view.ts')),
    ).toEqual(['glossary.view.ts']);
  });

  it('the delivery sections shape words and figures; each one’s macro in sections.njk lays it out', () => {
    // Only the charts (SVG and their data tables, charts/) build markup in TypeScript.
    const delivery = join(__dirname, '..', 'src', 'dashboard', 'delivery');
    const marking = readdirSync(delivery).filter((f) =>
      /from '\.\.\/html'/.test(readFileSync(join(delivery, f), 'utf8')),
    );
    expect(marking).toEqual([]);
    const macros = readFileSync(join(__dirname, '..', 'src', 'web', 'views', 'public', 'sections.njk'), 'utf8');
    const ids = deliverySections({} as never, {} as never, {} as never).map((p) => p.id);
    expect(ids.filter((id) => !macros.includes(`s.id == '${id}'`))).toEqual([]);
    expect(ids).toHaveLength(8);
  });
});
