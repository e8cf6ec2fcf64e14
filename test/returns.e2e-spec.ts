import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../src/cli';
import { CliContext } from '../src/cli/cli-context';
import { MONEY_FORMAT } from '../src/xlsx';
import { databaseKinds } from './support/databases';
import { libreOfficeAvailable, xlsxToCsvSheets } from './support/libreoffice';
import { startTestApp, tableCounts, TestApp } from './support/test-app';
import { ALL_SOURCES_2014, APPROVED_BY_SOURCE_2014, CAPITAL_2014 } from './support/deal-2014';

const P = '/api/programmes/SSLEP-GD-2014';
const R = `${P}/returns`;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Q1_COMMENTS = {
  HEADLINE_UNRECONCILED:
    'Published headlines differ from the deal’s project figures as the Reconciliation sheet explains',
};
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function sheetOf(bytes: Buffer, name: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return { wb, ws: wb.getWorksheet(name)! };
}

/** Pence of a money cell (a plain number or a formula's cached result). */
function pence(v: ExcelJS.CellValue): number {
  // exceljs's reader drops a formula's cached result when it is 0 (it copies only truthy
  // fields); the writer does write <v>0</v>, and the LibreOffice check reads it independently.
  const n =
    typeof v === 'number'
      ? v
      : v && typeof v === 'object' && 'formula' in v && v.result === undefined
        ? 0
        : (v as { result: number }).result;
  expect(typeof n).toBe('number');
  return Math.round(n * 100);
}

// The approved envelope of the 2014 deal by source kind, from the source's printed figures.
const ENVELOPE: Record<string, number> = {
  LGF: 3_460_000_000, // 2.4 + 4.0 + 4.2 + 1.0 + 16.1 + 6.9 (£m)
  LGF_PRECOMMITTED: 1_640_000_000, // 8.2 + 8.2
  LGF_PROVISIONAL: 2_710_000_000, // 6.0 + 16.1 + 5.0
  LOCAL_MATCH: 850_000_000, // 2.5 + 0.1 + 2.0 + 2.0 + 1.9
  PRIVATE_MATCH: 1_060_000_000, // 4.8 + 5.8 (pooled)
  REVENUE_GRANT: 25_000_000, // growth hub £250,000
};

async function cli(t: TestApp, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) => new Writable({ write: (c, _e, cb) => (f(String(c)), cb()) });
  const saved = { ...process.env };
  Object.assign(process.env, t.env, { SEED_ON_START: 'false' });
  try {
    const code = await runCli(
      args,
      new CliContext(
        sink((s) => (out += s)),
        sink((s) => (err += s)),
      ),
    );
    return { code, out, err };
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

describe.each(databaseKinds())('quarterly returns on %s', (kind) => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp(kind);
    dir = mkdtempSync(join(tmpdir(), 'returns-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses quarters that do not exist, are outside the programme or are after the reporting quarter', async () => {
    const future = await t.request('GET', `${R}/2015-16-Q2`);
    expect(future.status).toBe(422);
    expect(future.body.code).toBe('FUTURE_QUARTER');
    expect(future.body.message).toBe(
      "quarter: 2015-16 Q2 is after the programme's reporting quarter 2015-16 Q1: its return cannot be prepared yet",
    );
    const before = await t.request('GET', `${R}/2014-15-Q4`);
    expect([before.status, before.body.code]).toEqual([422, 'QUARTER_OUTSIDE_PROGRAMME']);
    const bad = await t.request('GET', `${R}/2015-16-Q5`);
    expect([bad.status, bad.body.code]).toEqual([422, 'INVALID_QUARTER']);
    expect((await t.request('GET', `${R}/2015-17-Q1`)).body.code).toBe('INVALID_QUARTER');
    expect((await t.request('GET', '/api/programmes/NOPE/returns/2015-16-Q1')).status).toBe(404);
    expect((await t.request('POST', `${R}/2016-17-Q1/submit`, {})).body.code).toBe('FUTURE_QUARTER');
    expect((await t.request('GET', `${R}/2015-16-Q1?format=pdf`)).status).toBe(400);
  });

  it('assembles the live draft: summary by source with exact totals and ranked checks', async () => {
    const res = await t.request('GET', `${R}/2015-16-Q1`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      programme: 'SSLEP-GD-2014',
      quarter: '2015-16 Q1',
      version: 1,
      status: 'draft',
      submittable: true,
    });
    expect(res.body.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const doc = res.body.return;
    expect(doc.sections.map((s: { key: string }) => s.key)).toEqual([
      'summary',
      'finance',
      'forecastYears',
      'milestones',
      'outputs',
      'changes',
      'reconciliation',
      'checks',
    ]);
    const summary = doc.sections[0];
    const byKind = Object.fromEntries(
      summary.rows.map((r: { sourceKind: string; allocation: string }) => [r.sourceKind, r.allocation]),
    );
    expect(byKind).toEqual(APPROVED_BY_SOURCE_2014);
    expect(summary.totals[0]).toMatchObject({ label: 'Capital total', values: { allocation: CAPITAL_2014 } });
    expect(summary.totals[1]).toMatchObject({ label: 'Total, all sources', values: { allocation: ALL_SOURCES_2014 } });
    expect(
      doc.checks.map((c: { rank: number; severity: string; code: string }) => `${c.rank} ${c.severity} ${c.code}`),
    ).toEqual([
      // The deal's commitments, loaded with their due dates and nothing recorded since, are grey
      // "not recorded" (a note, counted apart), no longer overdue milestones (DESIGN.md, 2026-12).
      '1 warning HEADLINE_UNRECONCILED',
      '2 note FIRST_RETURN',
      '3 note POOLED_ALLOCATIONS',
      '4 note UNPROFILED_ALLOCATIONS',
      '5 note COMMITMENT_NOT_RECORDED',
      '6 note CHANGES_DECIDED',
      '7 note HEADLINE_CONFLICTS',
    ]);
    expect(doc.checks[2].message).toBe(
      '2 approved allocations totalling £10,600,000.00 are committed to pools of projects and not split between them',
    );
    expect(doc.checks[3].message).toBe(
      '18 approved allocations totalling £97,200,000.00 have no year split (as the deal states them)',
    );
    expect(doc.cover.sectionsNotIncluded).toEqual([]);
  });

  it('exports the xlsx: typed money cells, exact totals, a cover with the content hash; LibreOffice reads the same totals', async () => {
    const viaQuery = await t.getBytes(`${R}/2015-16-Q1?format=xlsx`);
    expect(viaQuery.status).toBe(200);
    expect(viaQuery.headers['content-type']).toBe(XLSX);
    expect(viaQuery.headers['content-disposition']).toBe(
      'attachment; filename="SSLEP-GD-2014-return-2015-16-Q1-v1-draft.xlsx"',
    );
    const viaAccept = await t.getBytes(`${R}/2015-16-Q1`, { accept: XLSX });
    expect(viaAccept.headers['content-type']).toBe(XLSX);
    const bytes = viaQuery.bytes;
    const { wb, ws } = await sheetOf(bytes, 'Summary');
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Cover',
      'Summary',
      'Finance',
      'Forecast by year',
      'Milestones',
      'Outputs',
      'Change requests',
      'Reconciliation',
      'Checks',
    ]);
    const cover = wb.getWorksheet('Cover')!;
    const coverMap = new Map<string, ExcelJS.CellValue>();
    cover.eachRow((row, n) => n > 1 && coverMap.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(coverMap.get('Programme')).toBe('SSLEP-GD-2014');
    expect(coverMap.get('Quarter')).toBe('2015-16 Q1');
    expect(coverMap.get('Version')).toBe(1);
    expect(coverMap.get('Status')).toBe('draft');
    expect(coverMap.get('Quarter ends')).toEqual(new Date(Date.UTC(2015, 5, 30)));
    expect(coverMap.get('Content hash (SHA-256 of the JSON snapshot)')).toBe(viaQuery.headers['x-content-sha256']);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const headers = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1);
    expect(headers.slice(0, 8)).toEqual([
      'Source',
      'Source name',
      'Capital or revenue',
      'Confirmed (£)',
      'Provisional (£)',
      'Indicative (£)',
      'Withdrawn (£)',
      'Approved allocation (£)',
    ]);
    const allocCol = headers.indexOf('Approved allocation (£)') + 1;
    const moneyCols = headers.map((h, i) => (String(h).endsWith('(£)') ? i + 1 : 0)).filter(Boolean);
    const rows: { kind: string; type: string; row: ExcelJS.Row }[] = [];
    for (let r = 2; r <= 7; r++)
      rows.push({ kind: String(ws.getCell(r, 1).value), type: String(ws.getCell(r, 3).value), row: ws.getRow(r) });
    expect(Object.fromEntries(rows.map((r) => [r.kind, pence(r.row.getCell(allocCol).value)]))).toEqual(ENVELOPE);
    for (const r of rows) {
      const cell = r.row.getCell(allocCol);
      expect(typeof cell.value).toBe('number');
      expect(cell.numFmt).toBe(MONEY_FORMAT);
    }
    expect(ws.getCell(8, 1).value).toBe('Capital total');
    expect(ws.getCell(9, 1).value).toBe('Total, all sources');
    for (const c of moneyCols) {
      const filled = rows.filter((r) => r.row.getCell(c).value !== null);
      if (!filled.length) continue; // variance to last return: empty before the first submission
      const cell = (r: { row: ExcelJS.Row }) => (r.row.getCell(c).value === null ? 0 : pence(r.row.getCell(c).value)); // blank: nothing to report
      expect(pence(ws.getCell(8, c).value)).toBe(
        rows.filter((r) => r.type === 'capital').reduce((s, r) => s + cell(r), 0),
      );
      expect(pence(ws.getCell(9, c).value)).toBe(rows.reduce((s, r) => s + cell(r), 0));
      expect(ws.getCell(9, c).numFmt).toBe(MONEY_FORMAT);
    }
    expect(pence(ws.getCell(8, allocCol).value)).toBe(9_720_000_000);
    expect(pence(ws.getCell(9, allocCol).value)).toBe(9_745_000_000);

    if (!libreOfficeAvailable()) return;
    const file = join(dir, 'draft.xlsx');
    writeFileSync(file, bytes);
    const csv = await xlsxToCsvSheets(file, ['Cover', 'Summary', 'Checks']);
    const sum = csv.Summary;
    expect(sum[0][7]).toBe('Approved allocation (£)');
    const toP = (s: string) => Math.round(Number(s) * 100);
    const body = sum.slice(1, 7);
    expect(Object.fromEntries(body.map((r) => [r[0], toP(r[7])]))).toEqual(ENVELOPE);
    expect(sum[7][0]).toBe('Capital total');
    expect(toP(sum[7][7])).toBe(body.filter((r) => r[2] === 'capital').reduce((s, r) => s + toP(r[7]), 0));
    expect(toP(sum[8][7])).toBe(body.reduce((s, r) => s + toP(r[7]), 0));
    expect(toP(sum[8][7])).toBe(9_745_000_000);
    expect(csv.Cover.find((r) => r[0] === 'Version')?.[1]).toBe('1');
    expect(csv.Checks[0]).toEqual(['Rank', 'Severity', 'Check', 'Section', 'What was found', 'Comment']);
  }, 120_000);

  let v1Json: Buffer;
  let v1Xlsx: Buffer;
  let v1: { contentHash: string; xlsxSha256: string };

  it('submits: freezes the snapshot and the xlsx with their hashes and closes the quarter', async () => {
    const res = await t.request('POST', `${R}/2015-16-Q1/submit`, { comments: Q1_COMMENTS });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      programme: 'SSLEP-GD-2014',
      quarter: '2015-16 Q1',
      version: 1,
      status: 'submitted',
      reason: null,
      reportingQuarter: '2015-16 Q2',
    });
    v1 = res.body;
    const json = await t.getBytes(`${R}/2015-16-Q1/versions/1`);
    expect(json.status).toBe(200);
    expect(sha(json.bytes)).toBe(v1.contentHash);
    v1Json = json.bytes;
    // Stored as text (not a blob), byte for byte what is served, characters past Latin-1 included.
    const pieces = (await t.ds.query(
      `SELECT ${kind === 'postgres' ? 'pg_typeof(p.text)::text' : 'typeof(p.text)'} AS type, p.text
         FROM return_snapshot_piece p JOIN return_version r ON r.id = p.version_id WHERE r.version = 1 ORDER BY p.n`,
    )) as { type: string; text: string }[];
    expect(new Set(pieces.map((p) => p.type))).toEqual(new Set(['text']));
    const stored = pieces.map((p) => p.text).join('');
    expect(stored).toContain('Local partners’ match funding');
    expect(Buffer.from(stored, 'utf8').equals(json.bytes)).toBe(true);
    expect(JSON.parse(json.bytes.toString()).cover).toMatchObject({
      status: 'submitted',
      version: 1,
      quarter: '2015-16 Q1',
    });
    const xlsx = await t.getBytes(`${R}/2015-16-Q1/versions/1?format=xlsx`);
    expect(xlsx.headers['content-disposition']).toBe('attachment; filename="SSLEP-GD-2014-return-2015-16-Q1-v1.xlsx"');
    expect(sha(xlsx.bytes)).toBe(v1.xlsxSha256);
    v1Xlsx = xlsx.bytes;
    const { wb } = await sheetOf(xlsx.bytes, 'Cover');
    const cover = wb.getWorksheet('Cover')!;
    // Row 11: the programme date of the submission (two clocks), so the hash is on row 18.
    expect(cover.getCell('B18').value).toBe(v1.contentHash);
    expect(cover.getCell('A9').value).toBe('Submitted by');
    expect(cover.getCell('A11').value).toBe('Submitted on (programme date)');
    const list = await t.request('GET', R);
    expect(list.body.reportingQuarter).toBe('2015-16 Q2');
    expect(list.body.items).toEqual([
      expect.objectContaining({
        quarter: '2015-16 Q1',
        version: 1,
        contentHash: v1.contentHash,
        xlsxSha256: v1.xlsxSha256,
      }),
    ]);
    const audit: { action: string }[] = await t.ds.query(
      "SELECT action FROM audit_entry WHERE entity = 'return_version'",
    );
    expect(audit.map((a) => a.action)).toEqual(['submit']);
  });

  it('keeps the submitted version byte for byte while live data moves; a resubmission needs a reason and comments', async () => {
    const draft = await t.request('POST', `${P}/allocations`, {
      sourceKind: 'LGF',
      project: 'MEAFORD',
      period: '2016-17',
      amount: '150000.00',
      commitmentStatus: 'indicative',
    });
    expect(draft.status).toBe(201);
    await t.ds.query(
      `UPDATE allocation SET amount_pence = amount_pence + 5 WHERE source_kind = 'LGF' AND approval_state = 'approved' AND project_id = (SELECT id FROM project WHERE code = 'ETRURIA')`,
    );

    const again = await t.getBytes(`${R}/2015-16-Q1/versions/1`);
    expect(again.bytes.equals(v1Json)).toBe(true);
    expect((await t.getBytes(`${R}/2015-16-Q1/versions/1?format=xlsx`)).bytes.equals(v1Xlsx)).toBe(true);
    const frozen = await t.getBytes(`${R}/2015-16-Q1?format=xlsx`);
    expect(frozen.headers['x-return-status']).toBe('submitted');
    expect(frozen.bytes.equals(v1Xlsx)).toBe(true);
    const view = await t.request('GET', `${R}/2015-16-Q1`);
    expect(view.body).toMatchObject({ status: 'submitted', version: 1, contentHash: v1.contentHash });

    const counts = await tableCounts(t.ds);
    const noReason = await t.request('POST', `${R}/2015-16-Q1/submit`, {});
    expect(noReason.status).toBe(422);
    expect(noReason.body.code).toBe('REASON_REQUIRED');
    const noComments = await t.request('POST', `${R}/2015-16-Q1/submit`, { reason: 'Etruria LGF corrected' });
    expect(noComments.status).toBe(422);
    expect(noComments.body.code).toBe('WARNINGS_NEED_COMMENTS');
    expect(noComments.body.details.checks).toEqual([
      'ALLOCATION_CHANGED',
      'DRAFT_ALLOCATIONS',
      'HEADLINE_UNRECONCILED',
    ]);
    const typo = await t.request('POST', `${R}/2015-16-Q1/submit`, {
      reason: 'x',
      comments: { ALLOCATION_CHANGED: 'ok', DRAFT_ALLOCATIONS: 'ok', NOPE: 'x' },
    });
    expect(typo.body.code).toBe('UNKNOWN_CHECK_COMMENT');
    expect(await tableCounts(t.ds)).toEqual(counts);

    const live = await t.request('GET', `${R}/2015-16-Q1?live=true`);
    const lgf = live.body.return.sections[0].rows.find((r: { sourceKind: string }) => r.sourceKind === 'LGF');
    expect(lgf).toMatchObject({
      allocation: '34600000.05',
      allocationLastReturn: '34600000.00',
      allocationVariance: '0.05',
    });
    expect(live.body.return.checks.find((c: { code: string }) => c.code === 'DRAFT_ALLOCATIONS').message).toBe(
      '1 draft allocation totalling £150,000.00 await approval and are not in this return',
    );

    const v2 = await t.request('POST', `${R}/2015-16-Q1/submit`, {
      reason: 'Etruria LGF corrected',
      comments: {
        ...Q1_COMMENTS,
        ALLOCATION_CHANGED: 'Correction of 5p agreed with BEIS',
        DRAFT_ALLOCATIONS: 'Meaford top-up awaits the board',
      },
    });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({
      version: 2,
      reason: 'Etruria LGF corrected',
      comments: { ALLOCATION_CHANGED: 'Correction of 5p agreed with BEIS' },
    });
    expect(v2.body.contentHash).not.toBe(v1.contentHash);
    expect((await t.getBytes(`${R}/2015-16-Q1/versions/1`)).bytes.equals(v1Json)).toBe(true);
    expect((await t.getBytes(`${R}/2015-16-Q1/versions/1?format=xlsx`)).bytes.equals(v1Xlsx)).toBe(true);
    const v2Json = JSON.parse((await t.getBytes(`${R}/2015-16-Q1/versions/2`)).bytes.toString());
    expect(v2Json.cover.lastReturn).toEqual({ quarter: '2015-16 Q1', version: 1, contentHash: v1.contentHash });
    expect(
      v2Json.checks
        .filter((c: { severity: string }) => c.severity === 'warning')
        .map((c: { comment: string }) => c.comment),
    ).toEqual([
      'Correction of 5p agreed with BEIS',
      'Meaford top-up awaits the board',
      Q1_COMMENTS.HEADLINE_UNRECONCILED,
    ]);
    expect(
      (await t.request('GET', R)).body.items.map((i: { version: number; contentHash: string }) => [
        i.version,
        i.contentHash,
      ]),
    ).toEqual([
      [1, v1.contentHash],
      [2, v2.body.contentHash],
    ]);
    expect((await t.request('GET', `${R}/2015-16-Q1/versions/3`)).status).toBe(404);
  });

  it('blocks a return with errors, naming them, and writes nothing', async () => {
    await t.ds.query(
      `UPDATE allocation SET period_kind = 'year', year_from = 2030, year_to = 2030 WHERE source_kind = 'LGF' AND approval_state = 'approved' AND project_id = (SELECT id FROM project WHERE code = 'BERICOTE')`,
    );
    const counts = await tableCounts(t.ds);
    const res = await t.request('POST', `${R}/2015-16-Q2/submit`, {
      comments: { ...Q1_COMMENTS, DRAFT_ALLOCATIONS: 'awaiting board' },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('RETURN_HAS_ERRORS');
    expect(res.body.details.checks).toEqual(['ALLOCATION_OUTSIDE_PROGRAMME']);
    expect(res.body.message).toMatch(
      /ALLOCATION_OUTSIDE_PROGRAMME \(approved allocation #\d+ falls outside the programme's years 2015-16 to 2020-21\)/,
    );
    expect(await tableCounts(t.ds)).toEqual(counts);

    const check = await cli(t, [
      'return',
      'check',
      '--programme',
      'SSLEP-GD-2014',
      '--quarter',
      '2015-16 Q2',
      '--as',
      t.adminEmail,
    ]);
    expect(check.code).toBe(3);
    expect(check.out).toContain('SSLEP-GD-2014 2015-16 Q2 (draft version 1): 1 errors, 2 warnings, 5 notes');
    expect(check.out).toMatch(/ {2}1\. ERROR {3}ALLOCATION_OUTSIDE_PROGRAMME \[summary\]/);
    expect(check.out).toMatch(/ {2}2\. WARNING DRAFT_ALLOCATIONS \[summary\]/);
    const out = join(dir, 'cli.xlsx');
    const exp = await cli(t, [
      'return',
      'export',
      '--programme',
      'SSLEP-GD-2014',
      '--quarter',
      '2015-16 Q1',
      '--out',
      out,
    ]);
    expect([exp.code, exp.err]).toEqual([0, '']);
    expect(exp.out).toBe(
      `submitted return version 2 written to ${out} (content hash ${(await t.request('GET', R)).body.items[1].contentHash})\n`,
    );
    expect(sha(readFileSync(out))).toBe((await t.request('GET', R)).body.items[1].xlsxSha256);
    const draftOut = join(dir, 'q2-draft.xlsx');
    const draft = await cli(t, [
      'return',
      'export',
      '--programme',
      'SSLEP-GD-2014',
      '--quarter',
      '2015-16-Q2',
      '--out',
      draftOut,
    ]);
    expect(draft.out).toMatch(/^draft return version 1 written to .*q2-draft\.xlsx \(content hash [0-9a-f]{64}\)\n$/); // no progress bar off a terminal
    const q2 = await sheetOf(readFileSync(draftOut), 'Checks');
    expect(q2.ws.getCell('C2').value).toBe('ALLOCATION_OUTSIDE_PROGRAMME');
    expect(q2.wb.getWorksheet('Cover')!.getCell('B4').value).toBe('2015-16 Q2');
    const bad = await cli(t, [
      'return',
      'submit',
      '--programme',
      'SSLEP-GD-2014',
      '--quarter',
      '2015-16 Q2',
      '--comment',
      'oops',
      '--as',
      t.adminEmail,
    ]);
    expect([bad.code, bad.err]).toEqual([2, 'error: comment: "oops" must be CODE=comment text\n']);
  });
});
