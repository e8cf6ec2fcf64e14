import { randomBytes } from 'node:crypto';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor';
import { AuthService } from '../auth/auth.service';
import { ChangeRequestsService } from '../changes/change-requests.service';
import { addQuarters, compareQuarters, formatQuarter, parseQuarter, quarterOfDate } from '../common/fiscal';
import { formatPounds } from '../common/money';
import { decisionQuarter } from '../periods/programme-clock';
import { planFollow } from '../spend/baseline-plan';
import { BaselineMismatchError } from './measures';
import type { RawDb } from './raw-driver';
import type { BenchTarget } from './targets';
import { interleave, Sampled } from './timing';

/**
 * Change-request approval (issue 17): one virement (money moved from one project's allocation to
 * another's, same source kind) approved over the API (`POST .../change-requests/:n/approve` with
 * an approver's token), against one raw SQL transaction on the raw driver doing the same writes:
 * the two allocations, each line's baseline following its allocation (the shared pure
 * `planFollow`), the envelope's first-use row, the request's decision, and the audit entries
 * (each allocation, each baseline quarter, the decision, its project links).
 *
 * Equal results, before timing: the app approves A → B, then the raw transaction approves the
 * same virement back (B → A). The raw one must put both allocations and every baseline quarter of
 * both lines back exactly as they were, leave the envelopes as the app left them, record the
 * same decision quarter and decider, and write audit entries of the same kinds in the same
 * numbers as the app's. The timed rounds alternate the two directions the same way.
 */

const ph = (raw: RawDb, n: number) => (raw.kind === 'postgres' ? `$${n}` : '?');
const num = (v: unknown) => Number(v);

interface AllocationRow {
  id: number | string;
  project_id: number | string;
  source_kind: string;
  amount_pence: number | string;
  version: number | string;
}

interface Setup {
  code: string;
  programmeId: number;
  a: AllocationRow;
  b: AllocationRow;
  pence: number;
  creator: Actor;
  approver: { id: number; name: string; token: string };
}

/** Two live project allocations of one source kind in different projects, each with a baseline. */
async function pickAllocations(raw: RawDb, programmeId: number): Promise<[AllocationRow, AllocationRow]> {
  const rows = await raw.all<AllocationRow>(
    `SELECT a.id, a.project_id, a.source_kind, a.amount_pence, a.version FROM allocation a
       JOIN project p ON p.id = a.project_id
      WHERE a.programme_id = ${ph(raw, 1)} AND a.approval_state = 'approved' AND a.commitment_status <> 'withdrawn'
        AND p.status <> 'withdrawn' AND a.amount_pence >= 1000000
        AND EXISTS (SELECT 1 FROM spend_profile s WHERE s.project_id = a.project_id AND s.source_kind = a.source_kind AND s.baseline_pence > 0)
      ORDER BY a.amount_pence DESC, a.id`,
    [programmeId],
  );
  for (const a of rows) {
    const b = rows.find((x) => x.source_kind === a.source_kind && num(x.project_id) !== num(a.project_id));
    if (b) return [a, b];
  }
  throw new Error('no two project allocations of one source kind with baselines in the largest programme');
}

/** The reporting quarter by its definition (the first quarter whose return is not submitted), and the submitted ones. */
async function rawClock(raw: RawDb, programmeId: number) {
  const [p] = await raw.all<{ first_quarter: string; ends_on: string }>(
    `SELECT first_quarter, ends_on FROM programme WHERE id = ${ph(raw, 1)}`,
    [programmeId],
  );
  const submitted = new Set(
    (
      await raw.all<{ quarter: string }>(
        `SELECT DISTINCT quarter FROM return_version WHERE programme_id = ${ph(raw, 1)}`,
        [programmeId],
      )
    ).map((r) => r.quarter),
  );
  const last = quarterOfDate(p.ends_on);
  let q = parseQuarter(p.first_quarter);
  while (submitted.has(formatQuarter(q)) && compareQuarters(q, last) < 0) q = addQuarters(q, 1);
  const next = addQuarters(q, 1);
  return {
    current: q,
    last,
    isOpen: (quarter: string) => !submitted.has(quarter),
    fallback: formatQuarter(compareQuarters(next, last) <= 0 ? next : q),
  };
}

/** The raw driver's one transaction approving change request `number` (a virement of adjust lines). */
export async function rawApproveVirement(
  raw: RawDb,
  programmeId: number,
  number: number,
  approver: { id: number; name: string },
): Promise<void> {
  const p = (n: number) => ph(raw, n);
  const now = new Date().toISOString();
  await raw.exec(raw.kind === 'postgres' ? 'BEGIN' : 'BEGIN IMMEDIATE');
  try {
    if (raw.kind === 'postgres') await raw.all(`SELECT id FROM programme WHERE id = $1 FOR UPDATE`, [programmeId]);
    const [cr] = await raw.all<{ id: number | string; state: string; version: number | string; payload: string }>(
      `SELECT id, state, version, payload FROM change_request WHERE programme_id = ${p(1)} AND number = ${p(2)}`,
      [programmeId, number],
    );
    if (!cr || cr.state !== 'submitted') throw new Error(`change request ${number} is not submitted`);
    const lines = (JSON.parse(cr.payload) as { lines: { allocationId: number; delta: string }[] }).lines;
    const audit = async (
      projectId: number | null,
      entity: string,
      entityId: string,
      action: string,
      before: unknown,
      after: unknown,
    ) =>
      raw.run(
        `INSERT INTO audit_entry (at, actor, programme_id, project_id, entity, entity_id, action, before, after, meta)
         VALUES (${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(p).join(', ')})`,
        [
          now,
          approver.name,
          programmeId,
          projectId,
          entity,
          entityId,
          action,
          before === null ? null : JSON.stringify(before),
          JSON.stringify(after),
          JSON.stringify({ changeRequest: number }),
        ],
      );
    const totals = async () =>
      Object.fromEntries(
        (
          await raw.all<{ kind: string; total: number | string }>(
            `SELECT source_kind AS kind, SUM(amount_pence) AS total FROM allocation
              WHERE programme_id = ${p(1)} AND approval_state = 'approved' AND commitment_status <> 'withdrawn' GROUP BY source_kind`,
            [programmeId],
          )
        ).map((r) => [r.kind, num(r.total)]),
      );
    const stored = Object.fromEntries(
      (
        await raw.all<{ source_kind: string; amount_pence: number | string }>(
          `SELECT source_kind, amount_pence FROM programme_envelope WHERE programme_id = ${p(1)}`,
          [programmeId],
        )
      ).map((r) => [r.source_kind, num(r.amount_pence)]),
    );
    const totalsBefore = await totals();
    const moved: { before: unknown; after: unknown }[] = [];
    const touched = new Map<string, { projectId: number; kind: string }>();
    const projectIds = new Set<number>();
    for (const l of lines) {
      const [a] = await raw.all<AllocationRow & { approval_state: string }>(
        `SELECT id, project_id, source_kind, amount_pence, version, approval_state FROM allocation WHERE id = ${p(1)} AND programme_id = ${p(2)}`,
        [l.allocationId, programmeId],
      );
      const delta = Math.round(Number(l.delta) * 100);
      const next = num(a.amount_pence) + delta;
      if (a.approval_state !== 'approved' || next < 0) throw new Error(`allocation ${l.allocationId} cannot move`);
      await raw.run(
        `UPDATE allocation SET amount_pence = ${p(1)}, version = version + 1, updated_at = ${p(2)} WHERE id = ${p(3)} AND version = ${p(4)}`,
        [next, now, a.id, a.version],
      );
      const projectId = num(a.project_id);
      projectIds.add(projectId);
      touched.set(`${projectId}|${a.source_kind}`, { projectId, kind: a.source_kind });
      const snap = (pence: number) => ({ id: num(a.id), sourceKind: a.source_kind, amount: formatPounds(pence) });
      moved.push({ before: snap(num(a.amount_pence)), after: snap(next) });
      await audit(projectId, 'allocation', String(a.id), 'update', snap(num(a.amount_pence)), snap(next));
    }
    // Each line's baseline follows its allocation (the shared pure plan).
    const clock = await rawClock(raw, programmeId);
    const baselineFollowed: unknown[] = [];
    for (const { projectId, kind } of touched.values()) {
      const rows = await raw.all<{
        id: number | string;
        quarter: string;
        baseline_pence: number | string;
        version: number | string;
      }>(
        `SELECT id, quarter, baseline_pence, version FROM spend_profile WHERE project_id = ${p(1)} AND source_kind = ${p(2)}`,
        [projectId, kind],
      );
      const lineRows = rows.map((r) => ({ quarter: r.quarter, baselinePence: num(r.baseline_pence) }));
      if (!lineRows.some((r) => r.baselinePence !== 0)) continue;
      const [{ total }] = await raw.all<{ total: number | string | null }>(
        `SELECT SUM(amount_pence) AS total FROM allocation WHERE programme_id = ${p(1)} AND project_id = ${p(2)} AND source_kind = ${p(3)}
            AND approval_state = 'approved' AND commitment_status <> 'withdrawn'`,
        [programmeId, projectId, kind],
      );
      const plan = planFollow(lineRows, num(total ?? 0), clock.isOpen, clock.fallback);
      if ('lockedPence' in plan) throw new Error('baseline locked');
      for (const [quarter, baselinePence] of [...plan.changes].sort((x, y) => x[0].localeCompare(y[0]))) {
        const row = rows.find((r) => r.quarter === quarter);
        if (!row) throw new Error(`no baseline row for ${quarter}`); // the virement's lines all have rows
        await raw.run(
          `UPDATE spend_profile SET baseline_pence = ${p(1)}, version = version + 1, updated_at = ${p(2)} WHERE id = ${p(3)} AND version = ${p(4)}`,
          [baselinePence, now, row.id, row.version],
        );
        const m = {
          sourceKind: kind,
          quarter,
          baselineBefore: formatPounds(num(row.baseline_pence)),
          baselineAfter: formatPounds(baselinePence),
        };
        baselineFollowed.push(m);
        await audit(projectId, 'spend_profile', String(row.id), 'rebaseline', m, m);
      }
    }
    // The envelope: a virement nets to zero per kind; a kind first touched gets its stored row.
    const totalsAfter = await totals();
    for (const { kind } of touched.values()) {
      if (totalsAfter[kind] !== totalsBefore[kind]) throw new Error(`the ${kind} total moved`);
      if (!(kind in stored)) {
        await raw.run(
          `INSERT INTO programme_envelope (programme_id, source_kind, amount_pence, updated_at) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)})`,
          [programmeId, kind, totalsBefore[kind], now],
        );
        stored[kind] = totalsBefore[kind];
      }
    }
    const ids = [...projectIds].sort((x, y) => x - y);
    const quarter = formatQuarter(decisionQuarter(clock.current, clock.last, null));
    const before = { lines: moved.map((m) => m.before) };
    const after = { lines: moved.map((m) => m.after), baselineFollowed };
    await raw.run(
      `UPDATE change_request SET state = 'approved', decided_by = ${p(1)}, decided_by_id = ${p(2)}, decided_at = ${p(3)},
              decided_quarter = ${p(4)}, decision_reason = ${p(5)}, before = ${p(6)}, after = ${p(7)}, project_ids = ${p(8)},
              version = version + 1
        WHERE id = ${p(9)} AND version = ${p(10)}`,
      [
        approver.name,
        approver.id,
        now,
        quarter,
        'bench',
        JSON.stringify(before),
        JSON.stringify(after),
        ids.join(','),
        cr.id,
        cr.version,
      ],
    );
    await audit(null, 'change_request', String(number), 'approve', { state: 'submitted' }, { state: 'approved' });
    const [{ id: entryId }] = await raw.all<{ id: number | string }>(
      `SELECT MAX(id) AS id FROM audit_entry WHERE entity = 'change_request' AND entity_id = ${p(1)} AND programme_id = ${p(2)}`,
      [String(number), programmeId],
    );
    for (const projectId of ids)
      await raw.run(`INSERT INTO audit_entry_project (audit_entry_id, project_id) VALUES (${p(1)}, ${p(2)})`, [
        entryId,
        projectId,
      ]);
    await raw.exec('COMMIT');
  } catch (e) {
    await raw.exec('ROLLBACK');
    throw e;
  }
}

async function setUp(t: BenchTarget, code: string): Promise<Setup> {
  const [g] = await t.raw.all<{ id: number | string }>(`SELECT id FROM programme WHERE code = ${ph(t.raw, 1)}`, [code]);
  const programmeId = num(g.id);
  const [a, b] = await pickAllocations(t.raw, programmeId);
  const auth = t.app.get(AuthService);
  const tag = randomBytes(4).toString('hex');
  const finance = await auth.createUser(
    { name: 'Bench Finance', email: `finance-${tag}@bench.example`, role: 'finance', projects: [] },
    SYSTEM_ACTOR,
  );
  const approverEmail = `approver-${tag}@bench.example`;
  const approver = await auth.createUser(
    { name: 'Bench Approver', email: approverEmail, role: 'approver', projects: [] },
    SYSTEM_ACTOR,
  );
  const { token } = await auth.createToken(approverEmail, 1, 'bench', SYSTEM_ACTOR);
  return {
    code,
    programmeId,
    a,
    b,
    pence: 10_000,
    creator: { userId: finance.id, name: `Bench Finance <finance-${tag}@bench.example>`, role: 'finance' },
    approver: { id: approver.id, name: `Bench Approver <${approverEmail}>`, token },
  };
}

/** A submitted virement of `pence` from one allocation to the other; its number. */
async function submittedVirement(t: BenchTarget, s: Setup, from: AllocationRow, to: AllocationRow): Promise<number> {
  const svc = t.app.get(ChangeRequestsService);
  const pounds = formatPounds(s.pence);
  const cr = (await svc.create(
    s.code,
    {
      kind: 'reallocation',
      title: 'Bench virement',
      reason: 'Timing one approval',
      payload: {
        lines: [
          { allocationId: num(from.id), delta: `-${pounds}` },
          { allocationId: num(to.id), delta: pounds },
        ],
      },
    } as never,
    s.creator,
  )) as { number: number };
  await svc.submit(s.code, cr.number, {} as never, s.creator);
  return cr.number;
}

/** Money, baselines and envelopes of the two lines, for the equality check. */
async function state(raw: RawDb, s: Setup) {
  const p = (n: number) => ph(raw, n);
  const alloc = await raw.all(`SELECT id, amount_pence FROM allocation WHERE id IN (${p(1)}, ${p(2)}) ORDER BY id`, [
    s.a.id,
    s.b.id,
  ]);
  const baselines = await raw.all(
    `SELECT id, project_id, source_kind, quarter, baseline_pence, forecast_pence FROM spend_profile
      WHERE (project_id = ${p(1)} OR project_id = ${p(2)}) AND source_kind = ${p(3)} ORDER BY id`,
    [s.a.project_id, s.b.project_id, s.a.source_kind],
  );
  const envelopes = await raw.all(
    `SELECT source_kind, amount_pence FROM programme_envelope WHERE programme_id = ${p(1)} ORDER BY source_kind`,
    [s.programmeId],
  );
  return JSON.stringify({ alloc, baselines, envelopes }, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
}

async function auditKinds(raw: RawDb, afterId: number): Promise<string[]> {
  const rows = await raw.all<{ entity: string; action: string; n: number | string }>(
    `SELECT entity, action, COUNT(*) AS n FROM audit_entry WHERE id > ${ph(raw, 1)} GROUP BY entity, action ORDER BY entity, action`,
    [afterId],
  );
  return rows.map((r) => `${r.entity} ${r.action} ×${num(r.n)}`);
}

const maxAuditId = async (raw: RawDb) =>
  num((await raw.all<{ id: number | string | null }>('SELECT MAX(id) AS id FROM audit_entry'))[0].id ?? 0);

export interface ChangeApprovalMeasure {
  app: Sampled;
  baseline: Sampled;
  audit: string[];
  pounds: string;
}

export async function measureChangeApproval(
  t: BenchTarget,
  base: string,
  code: string,
  reps: number,
): Promise<ChangeApprovalMeasure> {
  const s = await setUp(t, code);
  const approveOverApi = async (n: number) => {
    const r = await fetch(`${base}/api/programmes/${encodeURIComponent(code)}/change-requests/${n}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.approver.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'bench' }),
    });
    if (r.status !== 200 && r.status !== 201) throw new Error(`approve ${n}: ${r.status} ${await r.text()}`);
  };
  // Equality first: the app moves A → B, the raw transaction moves it back.
  const s0 = await state(t.raw, s);
  const first = await submittedVirement(t, s, s.a, s.b);
  const a0 = await maxAuditId(t.raw);
  await approveOverApi(first);
  const appAudit = await auditKinds(t.raw, a0);
  const afterApp = await state(t.raw, s);
  if (afterApp === s0) throw new BaselineMismatchError('change-request approval: the app changed nothing');
  const second = await submittedVirement(t, s, s.b, s.a);
  const r0 = await maxAuditId(t.raw);
  await rawApproveVirement(t.raw, s.programmeId, second, s.approver);
  const rawAudit = await auditKinds(t.raw, r0);
  const s2 = await state(t.raw, s);
  const parse = (x: string) => JSON.parse(x) as { alloc: unknown; baselines: unknown; envelopes: unknown };
  if (JSON.stringify([parse(s2).alloc, parse(s2).baselines]) !== JSON.stringify([parse(s0).alloc, parse(s0).baselines]))
    throw new BaselineMismatchError(
      'change-request approval: the raw transaction did not undo the app’s virement exactly (allocations or baselines differ)',
    );
  if (JSON.stringify(parse(s2).envelopes) !== JSON.stringify(parse(afterApp).envelopes))
    throw new BaselineMismatchError('change-request approval: the envelopes differ');
  if (JSON.stringify(rawAudit) !== JSON.stringify(appAudit))
    throw new BaselineMismatchError(
      `change-request approval: audit entries differ: app ${appAudit.join(', ')}; raw ${rawAudit.join(', ')}`,
    );
  const decided = await t.raw.all<{
    number: number | string;
    decided_quarter: string;
    decided_by: string;
    state: string;
  }>(
    `SELECT number, decided_quarter, decided_by, state FROM change_request WHERE programme_id = ${ph(t.raw, 1)} AND number IN (${ph(t.raw, 2)}, ${ph(t.raw, 3)}) ORDER BY number`,
    [s.programmeId, first, second],
  );
  if (
    decided.length !== 2 ||
    decided.some((d) => d.state !== 'approved' || d.decided_by !== s.approver.name) ||
    decided[0].decided_quarter !== decided[1].decided_quarter
  )
    throw new BaselineMismatchError('change-request approval: the decisions differ');
  // Timed: each round the app approves A → B and the raw transaction B → A (each on its own submitted request).
  let pendingApp = 0;
  let pendingRaw = 0;
  const [app, baseline] = await interleave(
    [
      {
        name: 'api approve',
        before: async () => void (pendingApp = await submittedVirement(t, s, s.a, s.b)),
        run: () => approveOverApi(pendingApp),
      },
      {
        name: 'raw transaction',
        before: async () => void (pendingRaw = await submittedVirement(t, s, s.b, s.a)),
        run: () => rawApproveVirement(t.raw, s.programmeId, pendingRaw, s.approver),
      },
    ],
    reps,
    1,
  );
  return { app, baseline, audit: appAudit, pounds: formatPounds(s.pence) };
}
