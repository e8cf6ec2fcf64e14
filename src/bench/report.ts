import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { cliStartupLine } from './cli-process';
import type { BenchReport } from './runner';

const ms = (v: number | null) => (v === null ? '' : v >= 100 ? v.toFixed(0) : v.toFixed(2));
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** A plain-text table for the terminal (and the docs). */
export function benchTable(r: BenchReport): string {
  const head = ['db', 'projects', 'measure', 'app ms', 'raw ms', 'ratio', 'peak RSS', 'target', 'result'];
  const body = r.rows.map((x) => [
    x.db,
    String(x.projects),
    x.measure,
    ms(x.appMs),
    ms(x.baselineMs),
    x.ratio === null ? '' : `${x.ratio.toFixed(2)}×`,
    x.maxRssMb === null || x.maxRssMb === undefined ? '' : `${x.maxRssMb.toFixed(0)} MB`,
    x.target,
    x.status === 'pending' ? 'pending' : x.pass === null ? 'reference' : x.pass ? 'ok' : 'OVER TARGET',
  ]);
  const growthHead = ['db', 'measure', 'sizes (projects)', 'size ×', 'time ×', 'fitted exponent', 'result'];
  const growth = r.growth.map((g) => [
    g.db,
    g.measure,
    (g.sizes ?? [g.fromProjects, g.toProjects]).join(' / '),
    g.sizeRatio.toFixed(1),
    g.timeRatio.toFixed(2),
    g.exponent.toFixed(2),
    g.pass ? 'ok' : 'OVER 1.15',
  ]);
  const render = (h: string[], rows: string[][]) => {
    const w = h.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i].length)));
    return [h, w.map((n) => '-'.repeat(n)), ...rows]
      .map((row) => `| ${row.map((c, i) => pad(c, w[i])).join(' | ')} |`)
      .join('\n');
  };
  const sets = r.datasets
    .map(
      (d) =>
        `${d.db} ${d.projects} projects: ${d.programmes} programmes, ${d.allocations} allocations, ${d.rows} rows generated in ${(d.generateMs / 1000).toFixed(1)} s (${Object.entries(
          d.delivery ?? {},
        )
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')})`,
    )
    .join('\n');
  const pending = r.rows.filter((x) => x.status === 'pending').map((x) => `- ${x.db} ${x.measure}: ${x.note}`);
  return [
    `Benchmarks on ${r.machine.cpus} × ${r.machine.model}, node ${r.machine.node}, ${r.generatedAt}`,
    sets,
    '',
    render(head, body),
    '',
    "Growth of the app's time with data: least-squares exponent over every size (1 = linear; target ≤ 1.15):",
    render(growthHead, growth),
    '',
    ...(r.cliStartup ? [cliStartupLine(r.cliStartup), ''] : []),
    ...(pending.length ? ['Pending:', ...[...new Set(pending)]] : []),
    `All measured ratios within target: ${r.allWithinTarget ? 'yes' : 'NO'}`,
  ].join('\n');
}

export function writeReport(r: BenchReport, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(r, null, 2)}\n`);
}
