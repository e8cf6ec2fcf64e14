import { SYSTEM_ACTOR } from '../src/auth/actor';
import { GeneratorService } from '../src/generator/generator.service';
import { planNational } from '../src/generator/plan';
import { ReturnsService } from '../src/returns/returns.service';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * What finance answers on the check is all that submission asks for. A draft states outputs
 * delivered to the last submitted quarter; once submitted its own quarter counts, and a jobs
 * headline can then become comparable and fail to agree. SYN1-L01-GD1 of this generated set is
 * such a programme: its first return's check listed two warnings, and submitting with comments
 * on both was refused for a third (HEADLINE_UNRECONCILED) that no page had shown.
 */
const PARAMS = { leps: 1, projects: 100, quarters: 12, seed: 1 };
const QUARTER = '2015-16 Q1';

describe.each(databaseKinds())('a return’s check lists every warning its submission needs, on %s', (kind) => {
  let t: TestApp;
  const codes = planNational(PARAMS)
    .seeds.map((s) => s.programme.code)
    .sort();

  beforeAll(async () => {
    t = await startTestApp(kind);
    expect((await t.app.get(GeneratorService).generate(PARAMS)).loaded).toBe(true);
  });
  afterAll(async () => t?.close());

  it('names the warning submission will raise, says why, and a comment on each listed warning submits', async () => {
    const returns = t.app.get(ReturnsService);
    expect(codes).toEqual(['SYN1-L01-GD1', 'SYN1-L01-GD2']);
    const first = await returns.checks('SYN1-L01-GD1', QUARTER, SYSTEM_ACTOR);
    const warnings = first.checks.filter((c) => c.severity === 'warning');
    expect(warnings.map((c) => c.code)).toEqual(['SPEND_BELOW_BASELINE', 'MILESTONE_SLIPPED', 'HEADLINE_UNRECONCILED']);
    expect(warnings[2].message).toBe(
      'once submitted (2015-16 Q1 then counts as submitted, so its outputs count as delivered): 1 published headline does not reconcile with the approved figures: JOBS (not_met)',
    );
    for (const code of codes) {
      const doc = await returns.checks(code, QUARTER, SYSTEM_ACTOR);
      const comments = Object.fromEntries(
        doc.checks.filter((c) => c.severity === 'warning').map((c) => [c.code, `Answered: ${c.code}`]),
      );
      let res;
      try {
        res = await returns.submit(code, QUARTER, { comments }, SYSTEM_ACTOR);
      } catch (e) {
        throw new Error(`${code}: ${(e as Error).message}`);
      }
      expect([code, res.version, res.reportingQuarter]).toEqual([code, 1, '2015-16 Q2']);
    }
    // The frozen return carries the warning as submission raised it, with the comment written on the draft.
    const frozen = (await t.request('GET', '/api/programmes/SYN1-L01-GD1/returns/2015-16-Q1')).body.return;
    const unreconciled = frozen.checks.find((c: { code: string }) => c.code === 'HEADLINE_UNRECONCILED');
    expect([unreconciled.message, unreconciled.comment]).toEqual([
      '1 published headline does not reconcile with the approved figures: JOBS (not_met)',
      'Answered: HEADLINE_UNRECONCILED',
    ]);
  });
});
