import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Role } from '../src/auth/roles.decorator';
import { cli } from './support/cli';
import { databaseKinds } from './support/databases';
import { installChangeJournal } from './support/change-journal';
import { exampleBody, OpenApiDoc } from './support/openapi-examples';
import { discoverRoutes, fillPath, isWrite } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';
import { makeUser, pageText, WebClient } from './support/web-client';
import { P } from './support/write-fixtures';
import { CLOSED, Files, INVARIANTS, Invariant, Versions, WEB_NOT_DOORS, WebContext } from './support/invariant-table';

/**
 * Issue 14: "Every invariant has one door; a refused invariant stays refused through every
 * route." A table of invariants, each with every route (API and CLI) that can carry its field:
 * the door that checks it and the side doors that answer that it has one door. Each is sent
 * the same violation; each must refuse with a 4xx (exit 2 on the CLI) and the invariant's own
 * code, and nothing may be written (a change journal counts every row change in every table).
 *
 * Side doors are found, not listed: every write route of the running app whose request body
 * (its OpenAPI schema, which is its DTO: unknown fields are refused) carries one of the
 * invariant's fields must appear in the table, so a new route that could write the field
 * fails here until its refusal is added and checked.
 */

/** The input names of a page's form posting to `action` (hidden, text and radio alike). */
function formInputs(html: string, action: string): string[] {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) return [];
  const form = html.slice(start, html.indexOf('</form>', start));
  return [...form.matchAll(/<(?:input|textarea|select)[^>]*\bname="([^"]+)"/g)].map((m) => m[1]);
}

type Schema = {
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};

/** Every property name anywhere in a request body schema. */
function fieldsOf(
  doc: OpenApiDoc,
  s: Schema | undefined,
  seen = new Set<string>(),
  out = new Set<string>(),
): Set<string> {
  if (!s) return out;
  if (s.$ref) {
    const name = s.$ref.split('/').pop()!;
    if (seen.has(name)) return out;
    seen.add(name);
    return fieldsOf(doc, doc.components.schemas[name] as Schema, seen, out);
  }
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    out.add(k);
    fieldsOf(doc, p, seen, out);
  }
  for (const x of [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])]) fieldsOf(doc, x, seen, out);
  fieldsOf(doc, s.items, seen, out);
  return out;
}

async function one(ds: DataSource, sql: string): Promise<number> {
  return Number(Object.values((await ds.query(sql))[0])[0]);
}

describe.each(databaseKinds())('every invariant has one door, on %s', (kind) => {
  let t: TestApp;
  let doc: OpenApiDoc;
  const ids: Record<string, string> = {};
  let web: WebContext;
  const staff: Partial<Record<Role, WebClient>> = {};
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true', WRITE_RATE_LIMIT: '1000000' });
    doc = (await t.request('GET', '/api/docs-json')).body;
    // A draft allocation, and an approved one of ETRURIA (the demo quarters are submitted, so no fixture claims).
    const draft = await t.request('POST', `${P}/allocations`, {
      sourceKind: 'LGF',
      project: 'ETRURIA',
      period: '2016-17',
      amount: '5.00',
      commitmentStatus: 'indicative',
    });
    expect(draft.status).toBe(201);
    ids.draft = String(draft.body.id);
    ids.approved = String(
      (await t.request('GET', `${P}/allocations?project=ETRURIA&approvalState=approved`)).body.items[0].id,
    );
    // An open ETRURIA milestone with no actual date, for the milestone doors.
    const ms = (await t.request('GET', `${P}/projects/ETRURIA/milestones`)).body;
    const open = ((ms.items ?? ms) as (WebContext['milestone'] & { status: string; actualDate: string | null })[])
      .filter((x) => x.status === 'open' && !x.actualDate)
      .sort((a, b) => a.id - b.id)[0];
    ids.milestone = String(open.id);
    web = { milestone: open };
    // LICHFIELD's jobs claim in the reporting quarter (its return not submitted, so the claim is open).
    const claim = (await lichfieldClaims()).find((a) => a.metric === 'JOBS_CREATED' && a.quarter === '2016-17 Q4')!;
    ids.claim = String(claim.id);
    await makeUser(t.app, 'delivery_partner', 'doors-partner@test.invalid', ['ETRURIA']);
    await makeUser(t.app, 'programme_manager', 'doors-pm@test.invalid', ['ETRURIA']);
    for (const [role, email, ip] of [
      ['delivery_partner', 'doors-partner@test.invalid', '10.9.0.1'],
      ['programme_manager', 'doors-pm@test.invalid', '10.9.0.2'],
    ] as const) {
      const c = new WebClient(t.app, ip);
      expect((await c.signIn(email)).status).toBe(303);
      staff[role] = c;
    }
  });
  afterAll(async () => t?.close());
  const lichfieldClaims = async () =>
    (
      (await t.request('GET', `${P}/projects/LICHFIELD/outputs`)).body.metrics as {
        metric: string;
        actuals: { id: number; quarter: string; version: number }[];
      }[]
    ).flatMap((x) => x.actuals.map((a) => ({ ...a, metric: x.metric })));

  it('finds every write route that carries an invariant’s field in the table', () => {
    const writes = discoverRoutes(t.app).filter((r) => isWrite(r.method));
    const missing: string[] = [];
    for (const inv of INVARIANTS) {
      const listed = new Set([...inv.doors.map((d) => d.route), ...Object.keys(inv.notDoors ?? {})]);
      for (const r of writes) {
        const op = doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
        const schema = op?.requestBody?.content?.['application/json']?.schema as Schema | undefined;
        const fields = fieldsOf(doc, schema);
        const carries = inv.fields.filter((x) => fields.has(x));
        const key = `${r.method} ${r.url}`;
        if (carries.length && inv.routes(r.method, r.url) && !listed.has(key))
          missing.push(`${inv.name}: ${key} carries ${carries.join(', ')}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('finds every staff form that carries an invariant’s field in the table', async () => {
    const writes = discoverRoutes(t.app).filter((r) => isWrite(r.method) && r.url.startsWith('/manage'));
    const doorsOf = (inv: Invariant) => new Set((inv.web ?? []).map((d) => d.route));
    const listed = new Set([...INVARIANTS.flatMap((i) => [...doorsOf(i)]), ...Object.keys(WEB_NOT_DOORS)]);
    const missing: string[] = [];
    let forms = 0;
    for (const r of writes) {
      const key = `${r.method} ${r.url}`;
      if (!listed.has(key)) missing.push(`${key} is neither a door nor listed as carrying no invariant field`);
      if (r.method !== 'POST' || r.url.includes(':id')) continue;
      // The form a person fills in for this route: the GET page at the same address.
      const url = fillPath(r.url, { project: 'ETRURIA' });
      const page = await staff.programme_manager!.get(url);
      const names = page.status === 200 ? formInputs(page.body, url) : [];
      if (names.length) forms++;
      for (const inv of INVARIANTS) {
        const carries = names.filter((n) => inv.webFields?.test(n));
        if (carries.length && !doorsOf(inv).has(key))
          missing.push(`${inv.name}: the form of ${key} carries ${carries.slice(0, 3).join(', ')}`);
      }
    }
    expect(missing).toEqual([]);
    // The spend, milestones and narrative forms were read (the check is not vacuous).
    expect(forms).toBeGreaterThanOrEqual(3);
  });

  it('refuses each violation through every door with the invariant’s code, and writes nothing', async () => {
    const got: string[] = [];
    const want: string[] = [];
    const requesters: Partial<Record<Role, Awaited<ReturnType<TestApp['as']>>>> = {};
    for (const role of ['programme_manager', 'finance', 'approver', 'viewer'] as const)
      requesters[role] = await t.as(role, role === 'programme_manager' ? { projects: ['ETRURIA'] } : {});
    const cliUsers: Partial<Record<Role, string>> = {};
    for (const c of INVARIANTS.flatMap((i) => i.cli ?? [])) cliUsers[c.as] ??= await t.userFor(c.as);
    const as = (role: Role) => (role === 'admin' ? t.request : requesters[role]!);
    // The partner update workbook of ETRURIA's reporting quarter, as the CLI writes it.
    const dir = mkdtempSync(join(tmpdir(), 'gdt-doors-wb-'));
    const tpl = await cli(
      ['template', '--project', 'ETRURIA', '--quarter', '2016-17 Q4', '--out', join(dir, 'etruria.xlsx')],
      t.env,
    );
    expect([tpl.code, tpl.err]).toEqual([0, '']);
    const template = readFileSync(join(dir, 'etruria.xlsx'));
    const workbookUser = await t.userFor('programme_manager', { projects: ['ETRURIA'] });
    // From here on every committed row change counts (token bookkeeping aside).
    const journal = await installChangeJournal(t.ds, ['api_token', 'web_session']);
    const versions = async (): Promise<Versions> => {
      const profile = (await t.request('GET', `${P}/projects/ETRURIA/spend`)).body.profile as {
        quarter: string;
        sourceKind: string;
        version: number;
      }[];
      return {
        programme: (await t.request('GET', P)).body.version,
        project: (await t.request('GET', `${P}/projects/ETRURIA`)).body.version,
        approvedAllocation: (await t.request('GET', `${P}/allocations/${ids.approved}`)).body.version,
        draftAllocation: (await t.request('GET', `${P}/allocations/${ids.draft}`)).body.version,
        closedActual: profile.find((r) => r.quarter === CLOSED && r.sourceKind === 'LGF')!.version,
        milestone: (await t.request('GET', `${P}/milestones/${ids.milestone}`)).body.version,
        milestoneId: Number(ids.milestone),
        claim: (await lichfieldClaims()).find((a) => a.id === Number(ids.claim))!.version,
      };
    };
    for (const inv of INVARIANTS) {
      for (const d of inv.doors) {
        const [method, route] = d.route.split(' ');
        const id = ids[d.params?.id ?? 'draft'];
        for (const role of [...(d.roles ?? ['admin']), ...(d.forbidden ?? [])]) {
          const v = await versions();
          const url =
            fillPath(route, { code: 'SSLEP-GD-2014', project: 'ETRURIA', metric: 'JOBS_CREATED', id }) +
            (d.query ? d.query(v) : '');
          const before = await journal.snapshot();
          const body = d.example
            ? { ...(exampleBody(doc, method, route) as Record<string, unknown>), ...d.example }
            : d.body?.(v);
          const res = await as(role)(method, url, body);
          const after = await journal.snapshot();
          const expected = d.forbidden?.includes(role) ? [403, 'ROLE_NOT_ALLOWED'] : d.expect;
          want.push(`${inv.name} | ${d.route} as ${role} → ${expected.join(' ')}; wrote nothing`);
          got.push(
            `${inv.name} | ${d.route} as ${role} → ${res.status} ${res.body?.code}; ${after === before ? 'wrote nothing' : `wrote ${journal.changed(before, after).join(', ')}`}`,
          );
        }
      }
      for (const d of inv.web ?? []) {
        const [, route] = d.route.split(' ');
        const url = fillPath(route, { project: 'ETRURIA' });
        for (const role of d.roles) {
          const c = staff[role]!;
          await c.get(url); // the form, and its CSRF token
          const before = await journal.snapshot();
          const res = await c.post(url, d.form(web));
          const after = await journal.snapshot();
          const field = d.field(web);
          const link = new RegExp(`href="#${field}"[^>]*>([^<]*)<`).exec(res.body)?.[1];
          const said = link === undefined ? 'no error linking to the field' : pageText(link);
          want.push(`${inv.name} | web ${d.route} as ${role} → 400; #${field}: ${d.says(web)}; wrote nothing`);
          got.push(
            `${inv.name} | web ${d.route} as ${role} → ${res.status}; #${field}: ${d.says(web).test(said) ? d.says(web) : said}; ${after === before ? 'wrote nothing' : `wrote ${journal.changed(before, after).join(', ')}`}`,
          );
        }
      }
      for (const d of inv.workbook ?? []) {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(template as unknown as ArrayBuffer);
        const ws = wb.getWorksheet(d.sheet)!;
        const headers = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
        const rowNo = d.add
          ? ws.rowCount + 1
          : ws
              .getRows(2, ws.rowCount - 1)!
              .find((r) => d.row!(Object.fromEntries(headers.map((h, i) => [h, r.getCell(i + 1).value])), web))!.number;
        for (const [h, x] of Object.entries(d.add ?? {}))
          ws.getRow(rowNo).getCell(headers.indexOf(h) + 1).value = x as ExcelJS.CellValue;
        const col = headers.indexOf(d.header) + 1;
        ws.getRow(rowNo).getCell(col).value = d.value as ExcelJS.CellValue;
        const file = join(dir, `door-${inv.workbook!.indexOf(d)}-${INVARIANTS.indexOf(inv)}.xlsx`);
        writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
        const ref = `${d.sheet}!${String.fromCharCode(64 + col)}${rowNo}`;
        const before = await journal.snapshot();
        const res = await cli(['import', file, '--as', workbookUser], t.env);
        const after = await journal.snapshot();
        const line = res.err
          .split('\n')
          .map((l) => l.trim().replace(/^- /, ''))
          .find((l) => l.startsWith(`${ref}: `));
        const said = line?.slice(ref.length + 2);
        want.push(`${inv.name} | workbook ${ref} = ${String(d.value)} → exit 2; ${ref}: ${d.says}; wrote nothing`);
        got.push(
          `${inv.name} | workbook ${ref} = ${String(d.value)} → exit ${res.code}; ${ref}: ${said !== undefined && d.says.test(said) ? d.says : (said ?? res.err.trim())}; ${after === before ? 'wrote nothing' : `wrote ${journal.changed(before, after).join(', ')}`}`,
        );
      }
      for (const c of inv.cli ?? []) {
        const dir = mkdtempSync(join(tmpdir(), 'gdt-doors-'));
        const files: Files = { closedQuarterCsv: join(dir, 'closed.csv'), hugeCsv: join(dir, 'huge.csv') };
        writeFileSync(files.closedQuarterCsv, `project,sourceKind,quarter,actual\nETRURIA,LGF,${CLOSED},"12,000"\n`);
        writeFileSync(files.hugeCsv, `project,sourceKind,quarter,actual\nETRURIA,LGF,2016-17 Q4,"1,000,000,000.01"\n`);
        const email = cliUsers[c.as]!;
        const before = await journal.snapshot();
        const res = await cli([...c.args(files), '--as', email], t.env);
        const after = await journal.snapshot();
        const args = c.args(files).slice(0, 2).join(' ');
        want.push(`${inv.name} | cli ${args} → exit 2 matching ${c.err}; wrote nothing`);
        got.push(
          `${inv.name} | cli ${args} → exit ${res.code} ${c.err.test(res.err) ? `matching ${c.err}` : res.err.trim()}; ${after === before ? 'wrote nothing' : `wrote ${journal.changed(before, after).join(', ')}`}`,
        );
      }
    }
    expect(got).toEqual(want);
    // The invariants themselves, read back: thresholds in order, ETRURIA not withdrawn.
    const r = (await t.request('GET', `${P}/rag/thresholds`)).body;
    const thresholds = r.thresholds ?? r;
    expect(thresholds.financeAmberMin).toBeLessThan(thresholds.financeGreenMin);
    expect((await t.request('GET', `${P}/projects/ETRURIA`)).body.status).not.toBe('withdrawn');
    expect(await one(t.ds, `SELECT COUNT(*) FROM allocation WHERE amount_pence > 100000000000`)).toBe(0);
  });
});
