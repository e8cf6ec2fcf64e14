import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * With the illustrative demo loaded, the deal's jobs headlines become comparable with the
 * outputs delivered so far: 147 jobs claimed, of which one shared claim of 30 is counted once,
 * so 117 jobs (see seeds/demo-delivery.json).
 */
describe.each(databaseKinds())('reconciliation of outputs headlines on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true' });
  });
  afterAll(async () => t?.close());

  it('compares the jobs promises with delivered jobs, double claims counted once', async () => {
    const res = await t.request('GET', '/api/programmes/SSLEP-GD-2014/reconciliation');
    expect(res.status).toBe(200);
    const line = (code: string) =>
      res.body.lines.find(
        (l: { headlineCode: string; check: string }) => l.headlineCode === code && l.check === 'outputs',
      );
    expect(line('B-JOBS')).toMatchObject({ status: 'not_met', stated: 5000, computed: 117 });
    expect(line('A-SECURED-JOBS')).toMatchObject({
      status: 'unreconciled',
      stated: 4900,
      computed: 117,
      variance: -4783,
      illustrative: true,
    });
    // Demo outputs never pass for real delivery: the line says so in the data and in words.
    expect(line('B-JOBS').illustrative).toBe(true);
    expect(line('B-JOBS').explanation).toContain('These outputs are illustrative demo data, not real delivery.');
  });
});
