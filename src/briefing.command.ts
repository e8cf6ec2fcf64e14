import { Command } from 'commander';
import { resolve } from 'node:path';
import type { CliContext } from './cli/cli-context';

/**
 * At the top (it starts the whole app, as the server does), so it is not the dashboard's own cli file.
 * `briefing`: starts the app on a free loopback port, prints the committee briefing page
 * through headless Chromium to PDF, and stops the app.
 */
export function registerDashboardCommands(program: Command, ctx: CliContext): void {
  program
    .command('briefing')
    .description('Print the committee briefing of a programme to PDF through headless Chromium.')
    .requiredOption('--programme <code>', 'programme code, e.g. SSLEP-GD-2014')
    .option('--out <path>', 'PDF file to write', 'reports/briefing.pdf')
    .action((opts: { programme: string; out: string }) =>
      ctx.run(async () => {
        const [{ createApp }, { loadConfig }, { printToPdf }] = await Promise.all([
          import('./bootstrap'),
          import('./config/config'),
          import('./dashboard/briefing'),
        ]);
        const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
        const app = await createApp(config);
        try {
          await app.listen(0, '127.0.0.1');
          const address = app.getHttpServer().address() as { port: number };
          const url = `http://127.0.0.1:${address.port}/programmes/${encodeURIComponent(opts.programme)}/briefing`;
          const out = resolve(opts.out);
          const pages = await printToPdf(url, out, `Committee briefing: ${opts.programme}`);
          ctx.print(`wrote ${out} (${pages} page${pages === 1 ? '' : 's'}) from ${url}`);
        } finally {
          await app.close();
        }
      }),
    );
}
