import { Actor } from '../../src/auth/actor';
import { ChangeRequestsService } from '../../src/changes/change-requests.service';
import { TestApp } from './test-app';

/** The 2014 deal the change-request specs work on (no demo data), and its routes. */
export const CODE = 'SSLEP-GD-2014';
export const P = `/api/programmes/${CODE}`;
export const CR = `${P}/change-requests`;
// Submits the drafts: several move programme money (headroom, envelope), which is finance's or an admin's.
export const FIN: Actor = { userId: null, name: 'fran.finance', role: 'finance' };

/**
 * The steps of a change request on the app `app()` returns (started in the spec's beforeAll):
 * `draft` over HTTP as the test admin, `submit` by finance through the service, and `approved`,
 * which drafts, submits and approves (over HTTP, by the admin), asserting each step succeeded.
 * `form` gives the spec's own title and reason.
 */
export function changeRequestSteps(
  app: () => TestApp,
  form: { title?: (kind: string) => string; reason?: string } = {},
) {
  const draft = (kind: string, payload: unknown, title = form.title?.(kind) ?? `a ${kind}`) =>
    app().request('POST', CR, { kind, title, reason: form.reason ?? 'tested', payload });
  const submit = (number: number) => app().app.get(ChangeRequestsService).submit(CODE, number, {}, FIN);
  async function approved(kind: string, payload: unknown) {
    const d = await draft(kind, payload);
    expect([d.status, d.body.message]).toEqual([201, undefined]);
    await submit(d.body.number);
    const res = await app().request('POST', `${CR}/${d.body.number}/approve`, {});
    expect([res.status, res.body.message]).toEqual([200, undefined]);
    return res.body;
  }
  return { draft, submit, approved };
}
