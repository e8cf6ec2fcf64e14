import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '../auth/actor';
import { AuthService } from '../auth/auth.service';
import { PartnerUpdatesService } from '../partner-updates/partner-updates.service';
import { runCli, runProcess } from './cli-process';
import { BaselineMismatchError } from './measures';
import type { RawDb } from './raw-driver';
import type { BenchTarget } from './targets';
import { interleave, Sampled } from './timing';

/**
 * Partner import of an unchanged template (issue 17): the real CLI process
 * (`import <file> --as <admin>`, the partner update import) on a template just downloaded for one project of the
 * largest programme, against a raw read of the same workbook (a node process that loads exceljs
 * and reads every cell: the least any import does). Before timing, the import must succeed,
 * report no change, and leave every figure of the project as it was (its spend profile and
 * adjustments, milestones, output targets and actuals, byte for byte); it records one audit
 * entry of the import, as every import does.
 */

const ph = (raw: RawDb, n: number) => (raw.kind === 'postgres' ? `$${n}` : '?');

/** The tables a partner import writes, each row of the project, in id order. */
const FIGURE_TABLES = ['spend_profile', 'spend_adjustment', 'milestone', 'output_target', 'output_actual'];

export async function projectFiguresDigest(raw: RawDb, projectId: number): Promise<string> {
  const h = createHash('sha256');
  for (const table of FIGURE_TABLES) {
    const rows = await raw.all(`SELECT * FROM ${table} WHERE project_id = ${ph(raw, 1)} ORDER BY id`, [projectId]);
    h.update(`${table}:${rows.length}\n`);
    // Integers and booleans read the same from both drivers once stringified.
    for (const r of rows) h.update(`${JSON.stringify(Object.values(r).map((v) => (v === null ? null : String(v))))}\n`);
  }
  return h.digest('hex');
}

/** A raw read of a workbook in its own process: exceljs loads it and every cell's value is visited. */
const RAW_READ = `
const ExcelJS = require('exceljs');
const wb = new ExcelJS.Workbook();
wb.xlsx.readFile(process.argv[1]).then(() => {
  let cells = 0;
  wb.eachSheet((ws) => ws.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: false }, (c) => { if (c.value !== undefined) cells++; })));
  process.stdout.write(String(cells));
});`;

export interface PartnerImportMeasure {
  app: Sampled;
  baseline: Sampled;
  project: string;
  quarter: string;
  /** Rows the template carries (the CLI reports them unchanged). */
  unchanged: number;
  cells: number;
  peakKb: number | null;
}

export async function measurePartnerImport(t: BenchTarget, code: string, reps: number): Promise<PartnerImportMeasure> {
  const [p] = await t.raw.all<{ id: number | string; code: string }>(
    `SELECT p.id, p.code FROM project p JOIN programme g ON g.id = p.programme_id
      WHERE g.code = ${ph(t.raw, 1)} AND p.status <> 'withdrawn' ORDER BY p.code`,
    [code],
  );
  if (!p) throw new Error(`no live project in ${code}`);
  const projectId = Number(p.id);
  const partner = t.app.get(PartnerUpdatesService);
  const { quarter } = await partner.reportingQuarter(code, p.code);
  const template = await partner.template(code, p.code, quarter);
  const dir = mkdtempSync(join(tmpdir(), 'gdt-partner-import-'));
  const file = join(dir, template.filename);
  writeFileSync(file, template.bytes);
  const email = `importer-${randomBytes(4).toString('hex')}@bench.example`;
  const user = await t.app
    .get(AuthService)
    .createUser({ name: 'Bench Importer', email, role: 'admin', projects: [] }, SYSTEM_ACTOR);
  const env = { DATABASE_URL: undefined, DATABASE_SCHEMA: undefined, DATABASE_PATH: undefined, ...t.env };
  const args = ['import', file, '--as', email, '--project', p.code, '--quarter', quarter];
  try {
    const before = await projectFiguresDigest(t.raw, projectId);
    const first = await runCli(args, env);
    const said = /: (\d+) changes? applied, (\d+) rows? unchanged/.exec(first.stdout);
    if (!said || said[1] !== '0')
      throw new BaselineMismatchError(
        `partner import of an unchanged template changed something: ${first.stdout.trim()}`,
      );
    if ((await projectFiguresDigest(t.raw, projectId)) !== before)
      throw new BaselineMismatchError(`partner import of an unchanged template changed ${p.code}'s figures`);
    const read = await runProcess(['-e', RAW_READ, file], {}, false);
    const cells = Number(read.stdout);
    if (read.code !== 0 || !(cells > 0)) throw new Error(`raw workbook read failed: ${read.stderr.slice(0, 500)}`);
    let peakKb = first.peakKb;
    const [app, baseline] = await interleave(
      [
        {
          name: 'cli partner import',
          run: async () => {
            const r = await runCli(args, env);
            if (r.peakKb !== null) peakKb = Math.max(peakKb ?? 0, r.peakKb);
          },
        },
        { name: 'raw workbook read', run: () => runProcess(['-e', RAW_READ, file], {}, false) },
      ],
      reps,
      0,
    );
    if ((await projectFiguresDigest(t.raw, projectId)) !== before)
      throw new BaselineMismatchError(`repeated partner imports of an unchanged template changed ${p.code}'s figures`);
    return { app, baseline, project: p.code, quarter, unchanged: Number(said[2]), cells, peakKb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    // The importer and its audit entries' user go; the audit entries stay (append-only).
    await t.raw.run(
      `UPDATE app_user SET active = ${t.kind === 'postgres' ? 'false' : '0'} WHERE id = ${ph(t.raw, 1)}`,
      [user.id],
    );
  }
}
