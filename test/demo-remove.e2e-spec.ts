import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DEAL_SEED_FILE, seedsDir } from '../src/common/paths';
import { SeedService } from '../src/deal-loading/seed.service';
import { DemoService } from '../src/demo/demo.service';
import { cli } from './support/cli';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * `demo remove` (README, "Entering your own deal"): on a database that holds the demo and a real
 * programme entered beside it, an admin removes the demo programme. Every row of it goes (counted
 * here independently, table by table), the real programme and the reference data stay exactly as
 * they were, the removal is audited, a second run has nothing to do, and a restart does not load
 * the demo again. While the demo programme holds anyone's real work, it refuses and removes nothing.
 */
const DEMO = 'SSLEP-GD-2014';

/** Row counts of every table with a programme_id column, for one programme (the audit trail aside). */
async function programmeRows(ds: DataSource, id: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const ph = ds.options.type === 'postgres' ? '$1' : '?';
  for (const meta of [...ds.entityMetadatas].sort((a, b) => a.tableName.localeCompare(b.tableName))) {
    if (meta.tableName === 'audit_entry') continue;
    const col = meta.tableName === 'programme' ? 'id' : 'programme_id';
    if (col === 'programme_id' && !meta.columns.some((c) => c.databaseName === 'programme_id')) continue;
    const [r] = await ds.query(`SELECT COUNT(*) AS n FROM ${meta.tableName} WHERE ${col} = ${ph}`, [id]);
    if (Number(r.n) > 0) out[meta.tableName] = Number(r.n);
  }
  const [pm] = await ds.query(
    `SELECT COUNT(*) AS n FROM project_pool_member WHERE pool_id IN (SELECT id FROM project_pool WHERE programme_id = ${ph})`,
    [id],
  );
  if (Number(pm.n) > 0) out.project_pool_member = Number(pm.n);
  const [sp] = await ds.query(
    `SELECT COUNT(*) AS n FROM return_snapshot_piece WHERE version_id IN (SELECT id FROM return_version WHERE programme_id = ${ph})`,
    [id],
  );
  if (Number(sp.n) > 0) out.return_snapshot_piece = Number(sp.n);
  return out;
}

/** Every table's row count. */
async function allRows(ds: DataSource): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of [...ds.entityMetadatas.map((m) => m.tableName), 'project_pool_member'].sort())
    out[t] = Number((await ds.query(`SELECT COUNT(*) AS n FROM ${t}`))[0].n);
  return out;
}

async function programmeId(ds: DataSource, code: string): Promise<number> {
  const ph = ds.options.type === 'postgres' ? '$1' : '?';
  return Number((await ds.query(`SELECT id FROM programme WHERE code = ${ph}`, [code]))[0].id);
}

describe.each(databaseKinds())('removing the illustrative demo on %s', (kind) => {
  describe('beside a real programme', () => {
    let t: TestApp;
    let demoId: number;
    let realId: number;
    beforeAll(async () => {
      t = await startTestApp(kind, { DEMO_DATA: 'true' });
      // A real programme entered beside the demo, the README's way: envelope and project by approved change requests.
      const approver = await t.as('approver');
      const mine = '/api/programmes/MY-GD';
      expect(
        (
          await t.request('POST', '/api/programmes', {
            code: 'MY-GD',
            name: 'My Growth Deal',
            startsOn: '2015-04-01',
            endsOn: '2021-03-31',
            firstQuarter: '2015-16 Q1',
          })
        ).status,
      ).toBe(201);
      const approve = async (kind: string, payload: unknown) => {
        const d = await t.request('POST', `${mine}/change-requests`, { kind, title: kind, reason: 'Deal', payload });
        expect([d.status, d.body.message]).toEqual([201, undefined]);
        expect((await t.request('POST', `${mine}/change-requests/${d.body.number}/submit`, {})).status).toBe(200);
        const a = await approver('POST', `${mine}/change-requests/${d.body.number}/approve`, { reason: 'Board' });
        expect([a.status, a.body.message]).toEqual([200, undefined]);
      };
      await approve('envelope_change', { sourceKind: 'LGF', delta: '10000000.00' });
      await approve('add_project', {
        code: 'ALPHA',
        name: 'Alpha link road',
        status: 'in_delivery',
        allocations: [
          {
            sourceKind: 'LGF',
            period: 'unprofiled',
            amount: '4000000.00',
            commitmentStatus: 'confirmed',
            baseline: [
              { quarter: '2015-16 Q1', amount: '2000000.00' },
              { quarter: '2015-16 Q2', amount: '2000000.00' },
            ],
          },
        ],
      });
      demoId = await programmeId(t.ds, DEMO);
      realId = await programmeId(t.ds, 'MY-GD');
    });
    afterAll(async () => t?.close());

    it('names a user: refused without --as, and for anyone but an admin', async () => {
      const finance = await t.userFor('finance');
      const before = await allRows(t.ds);
      const none = await cli(['demo', 'remove'], t.env);
      expect(none.code).toBe(2);
      expect(none.err).toContain(
        'demo remove writes as a named user: add --as <email> of a user whose role may do this (admin)',
      );
      const fin = await cli(['demo', 'remove', '--as', finance], t.env);
      expect(fin.code).toBe(2);
      expect(fin.err).toMatch(/^error: .*role/);
      expect(await allRows(t.ds)).toEqual(before);
    });

    it('a dry run lists every row it would remove, and removes nothing', async () => {
      const before = await allRows(t.ds);
      const expected = await programmeRows(t.ds, demoId);
      const dry = await cli(['demo', 'remove', '--dry-run', '--as', t.adminEmail], t.env);
      expect([dry.code, dry.err]).toEqual([0, '']);
      expect(dry.out.split('\n')[0]).toBe(`would remove (dry run: nothing removed) the demo programme ${DEMO}:`);
      for (const [table, n] of Object.entries(expected)) expect(dry.out).toContain(`  ${table}\t${n}\n`);
      expect(await allRows(t.ds)).toEqual(before);
    });

    it('removes the demo programme and every row of it; the real programme and reference data are untouched', async () => {
      const before = await allRows(t.ds);
      const demoRows = await programmeRows(t.ds, demoId);
      const realRows = await programmeRows(t.ds, realId);
      // What the demo is: the 2014 deal's 30-odd projects with their money and an invented history.
      expect(demoRows.programme).toBe(1);
      for (const table of [
        'project',
        'allocation',
        'spend_profile',
        'milestone',
        'change_request',
        'return_version',
        'return_snapshot_piece',
      ])
        expect([table, (demoRows[table] ?? 0) > 0]).toEqual([table, true]);
      expect(realRows).toEqual({
        allocation: 1,
        change_request: 2,
        programme: 1,
        programme_envelope: 1,
        project: 1,
        spend_profile: 2,
      });
      // Organisations only the demo names (the real programme names none).
      const ph = kind === 'postgres' ? '$1' : '?';
      const demoOrgs: string[] = (
        await t.ds.query(
          `SELECT code FROM organisation WHERE id IN (SELECT lep_organisation_id FROM programme WHERE id = ${ph})
             OR id IN (SELECT lead_organisation_id FROM project WHERE programme_id = ${ph}) ORDER BY code`,
          kind === 'postgres' ? [demoId] : [demoId, demoId],
        )
      ).map((r: { code: string }) => r.code);
      expect(demoOrgs.length).toBeGreaterThan(0);

      const res = await cli(['demo', 'remove', '--as', t.adminEmail], t.env);
      expect([res.code, res.err]).toEqual([0, '']);
      expect(res.out.split('\n')[0]).toBe(`removed the demo programme ${DEMO}:`);
      expect(res.out).toContain(`  organisations only the demo named: ${demoOrgs.join(', ')}\n`);

      // Gone: the programme and every row that named it.
      expect((await t.request('GET', `/api/programmes/${DEMO}`)).status).toBe(404);
      expect(await programmeRows(t.ds, demoId)).toEqual({});
      // Untouched: the real programme, row for row, and every other table but the audit trail (one entry more).
      expect(await programmeRows(t.ds, realId)).toEqual(realRows);
      const after = await allRows(t.ds);
      const expectedAfter: Record<string, number> = { ...before, audit_entry: before.audit_entry + 1 };
      for (const [table, n] of Object.entries(demoRows)) expectedAfter[table] -= n;
      expectedAfter.organisation -= demoOrgs.length;
      expect(after).toEqual(expectedAfter);
      expect((await t.request('GET', '/api/programmes/MY-GD/envelope')).body.items).toEqual([
        expect.objectContaining({ sourceKind: 'LGF', envelope: '10000000.00', approved: '4000000.00' }),
      ]);

      // Audited as the admin, with what it removed.
      const audit = await t.ds.query(
        `SELECT actor, action, entity, meta FROM audit_entry WHERE action = 'remove_demo' ORDER BY id`,
      );
      expect(audit).toHaveLength(1);
      expect(audit[0].actor).toContain(t.adminEmail);
      expect(JSON.parse(audit[0].meta)).toEqual({
        rows: { ...demoRows, organisation: demoOrgs.length },
        organisations: demoOrgs,
      });

      // A second run has nothing to do; a restart's seed and demo loaders load nothing again.
      const again = await cli(['demo', 'remove', '--as', t.adminEmail], t.env);
      expect([again.code, again.out, again.err]).toEqual([
        0,
        `the demo programme ${DEMO} is not in this database: nothing to remove\n`,
        '',
      ]);
      expect((await t.app.get(SeedService).loadDeal(join(seedsDir(), DEAL_SEED_FILE))).loaded).toBe(false);
      expect((await t.app.get(DemoService).load()).loaded).toBe(false);
      expect(await allRows(t.ds)).toEqual(expectedAfter);
      // A new programme never takes the removed one's id (its audit history stays its own).
      expect(
        (
          await t.request('POST', '/api/programmes', {
            code: 'NEXT-GD',
            name: 'Next',
            startsOn: '2015-04-01',
            endsOn: '2021-03-31',
            firstQuarter: '2015-16 Q1',
          })
        ).status,
      ).toBe(201);
      expect(await programmeId(t.ds, 'NEXT-GD')).toBeGreaterThan(Math.max(demoId, realId));
    });
  });

  describe('holding real work', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(kind, { DEMO_DATA: 'true' });
    });
    afterAll(async () => t?.close());

    it('refuses, naming each write and assignment that is not the demo’s, and removes nothing', async () => {
      const draft = await t.request('POST', `/api/programmes/${DEMO}/allocations`, {
        sourceKind: 'LGF',
        project: 'ETRURIA',
        period: '2016-17',
        amount: '5.00',
        commitmentStatus: 'indicative',
      });
      expect(draft.status).toBe(201);
      const pm = await t.userFor('programme_manager', { projects: ['ETRURIA'] });
      const before = await allRows(t.ds);
      const res = await cli(['demo', 'remove', '--as', t.adminEmail], t.env);
      expect(res.code).toBe(2);
      expect(res.err).toBe(
        `error: the demo programme ${DEMO} holds work that is not the demo's, so it was not removed: ` +
          `1 × create allocation by ${t.adminActor}; ${pm} is assigned to ETRURIA. ` +
          'Enter real work in a programme of its own (or start on a fresh database with SEED_ON_START=false and DEMO_DATA=false)\n',
      );
      expect(await allRows(t.ds)).toEqual(before);
      expect((await t.request('GET', `/api/programmes/${DEMO}`)).status).toBe(200);
    });
  });
});
