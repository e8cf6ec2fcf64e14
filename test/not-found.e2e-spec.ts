import { startTestApp, TestApp } from './support/test-app';

/**
 * Unknown pages (issue 16): a browser gets an HTML "page not found" page in the public layout; the
 * API, and any client that does not ask for HTML, keeps the JSON error. The page is the same
 * whether no route matched or a route found no such programme. No database difference is
 * involved, so SQLite alone serves.
 */
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('page not found', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it.each(['/no-such-page', '/programmes/NOPE', '/programmes/SSLEP-GD-2014/projects/NOPE'])(
    'a browser asking for %s gets the HTML page, status 404',
    async (path) => {
      const r = await t.anonymous('GET', `${path}?from=link`, undefined, HTML);
      expect(r.status).toBe(404);
      expect(String(r.headers['content-type'])).toBe('text/html; charset=utf-8');
      expect(r.text).toContain('<title>Page not found – Growth Deal tracker</title>');
      expect(r.text).toContain(`<p>There is no page at <code>${path}</code>.</p>`);
      expect(r.text).toContain('<a href="/glossary">Glossary</a>');
    },
  );

  it('escapes the path it shows', async () => {
    const r = await t.anonymous('GET', '/"><b>x', undefined, HTML);
    expect(r.status).toBe(404);
    expect(r.text).toContain('<code>/&quot;&gt;&lt;b&gt;x</code>');
    expect(r.text).not.toContain('<b>x');
  });

  it.each([
    ['GET', '/no-such-page', {}],
    ['GET', '/no-such-page', { accept: 'application/json' }],
    ['GET', '/no-such-page', { accept: '*/*' }],
    ['GET', '/api/no-such-route', HTML],
    ['GET', '/api/programmes/NOPE', HTML],
    ['POST', '/no-such-page', HTML],
  ] as const)('%s %s with Accept %j keeps the JSON error', async (method, path, headers) => {
    const r = await t.anonymous(method, path, undefined, { ...headers });
    expect(r.status).toBe(404);
    expect(String(r.headers['content-type'])).toBe('application/json; charset=utf-8');
    expect(r.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });
});
