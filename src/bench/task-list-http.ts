import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '../auth/actor';
import { AccountsService } from '../auth/accounts.service';
import { AuthService } from '../auth/auth.service';
import { addQuarters, compareQuarters, formatQuarter, parseQuarter, quarterOfDate } from '../common/fiscal';
import { loadTest } from './http-load';
import { BaselineMismatchError, type HttpMeasure } from './measures';
import { openRawPostgresPool, type RawDb } from './raw-driver';
import { median } from './timing';
import type { BenchTarget } from './targets';

/**
 * The staff task list (`GET /manage/quarter?programme=…`, issue 18) of the largest programme,
 * signed in as a programme manager assigned to every one of its projects, against a bare
 * `node:http` server that answers the same page from its own SQL on the raw driver: it reads
 * the session row by the cookie's hash, the user, the header's notices count, the reporting
 * quarter and the rows (one statement each), and writes the HTML with template strings. Before
 * timing, the two pages must be the same document once whitespace between tags and the
 * per-request CSRF token are set aside (so every row, name, code, status tag, count and the
 * header's user and notices agree).
 */

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]);

/** Whitespace between and inside tags is not content; the CSRF token differs on every request. */
export const comparableHtml = (html: string) =>
  html
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""')
    .replace(/\s+/g, ' ')
    .replace(/ ?> ?/g, '>')
    .replace(/ ?< ?/g, '<');

/** The mix of statuses a quarter has part-way through: one project in five at each stage. */
const SEEDED: (string | null)[] = [null, 'in_progress', 'submitted', 'returned', 'accepted'];

const LABELS: Record<string, [string, string]> = {
  not_started: ['Not started', 'govuk-tag--grey'],
  in_progress: ['In progress', 'govuk-tag--light-blue'],
  submitted: ['Submitted', 'govuk-tag--yellow'],
  returned: ['Returned', 'govuk-tag--red'],
  accepted: ['Accepted', 'govuk-tag--green'],
};

const ph = (raw: RawDb, n: number) => (raw.kind === 'postgres' ? `$${n}` : '?');

/** The reporting quarter by its definition: the first quarter of the programme whose return is not submitted. */
async function rawReportingQuarter(raw: RawDb, programmeId: number, firstQuarter: string, endsOn: string) {
  const submitted = new Set(
    (
      await raw.all<{ quarter: string }>(
        `SELECT DISTINCT quarter FROM return_version WHERE programme_id = ${ph(raw, 1)}`,
        [programmeId],
      )
    ).map((r) => r.quarter),
  );
  let q = parseQuarter(firstQuarter);
  const last = quarterOfDate(endsOn);
  while (submitted.has(formatQuarter(q)) && compareQuarters(q, last) < 0) q = addQuarters(q, 1);
  return formatQuarter(q);
}

interface ProgrammeRow {
  id: number | string;
  name: string;
  first_quarter: string;
  ends_on: string;
}

async function programmeOf(raw: RawDb, code: string) {
  const [p] = await raw.all<ProgrammeRow>(
    `SELECT id, name, first_quarter, ends_on FROM programme WHERE code = ${ph(raw, 1)}`,
    [code],
  );
  if (!p) throw new Error(`no programme ${code}`);
  const id = Number(p.id);
  return { id, name: p.name, quarter: await rawReportingQuarter(raw, id, p.first_quarter, p.ends_on) };
}

interface PageData {
  userName: string;
  notices: number;
  programmeName: string;
  /** The `?programme=` the page was asked with: the app's links keep it. */
  programmeCode: string;
  quarter: string;
  rows: { code: string; name: string; status: string }[];
}

/** The same markup the app's layout and GOV.UK Frontend's task list write, by hand. */
function page(d: PageData, csrf: string): string {
  const counts: Record<string, number> = { not_started: 0, in_progress: 0, submitted: 0, returned: 0, accepted: 0 };
  const items: string[] = [];
  d.rows.forEach((r, i) => {
    counts[r.status]++;
    const [label, cls] = LABELS[r.status];
    const id = `project-${i + 1}`;
    items.push(
      `<li class="govuk-task-list__item govuk-task-list__item--with-link"><div class="govuk-task-list__name-and-hint"><a class="govuk-link govuk-task-list__link" href="/manage/quarter/${encodeURIComponent(r.code)}?programme=${encodeURIComponent(d.programmeCode)}" aria-describedby="${id}-hint ${id}-status">${esc(r.name)}</a><div id="${id}-hint" class="govuk-task-list__hint">${esc(r.code)}</div></div><div class="govuk-task-list__status" id="${id}-status"><strong class="govuk-tag ${cls}">${label}</strong></div></li>`,
    );
  });
  const n = d.rows.length;
  const nav = [
    ['Home', '/manage', false],
    ['Quarter', '/manage/quarter', true],
    ['Returns', '/manage/returns', false],
    ['Change requests', '/manage/change-requests', false],
    ['Audit trail', '/manage/audit', false],
  ]
    .map(
      ([text, href, cur]) =>
        `<li class="govuk-service-navigation__item${cur ? ' govuk-service-navigation__item--active' : ''}"><a class="govuk-service-navigation__link" href="${href}"${cur ? ' aria-current="page"><strong class="govuk-service-navigation__active-fallback">' + text + '</strong>' : '>' + text}</a></li>`,
    )
    .join('');
  const body = n
    ? `<p class="govuk-body" data-counts>${n} project${n === 1 ? '' : 's'}: ${counts.accepted} accepted, ${counts.submitted} waiting for review, ${counts.returned} returned, ${counts.in_progress} in progress, ${counts.not_started} not started.</p><ul class="govuk-task-list">${items.join('')}</ul>`
    : '<p class="govuk-body">No projects are assigned to you. An administrator assigns projects on the Users page.</p>';
  const s = 'Growth Deal tracker';
  return `<!DOCTYPE html>
<html lang="en" class="govuk-template" data-layout="staff"><head><meta charset="utf-8"><title>Quarterly updates for ${esc(d.quarter)} – ${s}</title><meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"><meta name="robots" content="noindex, nofollow"><link rel="stylesheet" href="/manage/assets/manage.css"></head>
<body class="govuk-template__body"><a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a><header class="lep-header" role="banner"><div class="govuk-width-container lep-header__inner"><a class="lep-header__name" href="/manage">${s}</a><nav aria-label="Account"><a class="lep-header__link" href="/manage/notices">Notices<span class="lep-header__count" aria-label="${d.notices} ${d.notices === 1 ? 'notice' : 'notices'}">${d.notices}</span></a><span class="lep-header__link">${esc(d.userName)}</span><form class="lep-header__signout" method="post" action="/manage/sign-out"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit">Sign out</button></form></nav></div></header>
<nav class="govuk-service-navigation" aria-label="Menu" data-module="govuk-service-navigation"><div class="govuk-width-container"><ul class="govuk-service-navigation__list" id="navigation">${nav}</ul></div></nav>
<div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content"><span class="govuk-caption-l">${esc(d.programmeName)}</span><h1 class="govuk-heading-l">Quarterly updates for ${esc(d.quarter)}</h1><p class="govuk-body">${esc(d.quarter)} is the reporting quarter: the earliest quarter whose return has not been submitted.</p>${body}</main></div>
<footer class="govuk-footer"><div class="govuk-width-container"><p class="govuk-body-s">${s} – staff pages. The <a class="govuk-footer__link" href="/">public dashboard</a> needs no sign-in.</p></div></footer><script type="module" src="/manage/assets/init.js"></script></body></html>`;
}

const IDLE_MS = 30 * 60_000;
const ABSOLUTE_MS = 12 * 60 * 60_000;

/** The bare server's whole answer for one request: five statements on the raw driver, then a string. */
async function bareTaskList(raw: RawDb, cookie: string | undefined, code: string): Promise<string | null> {
  const sid = /(?:^|;\s*)gdt_session=([^;]+)/.exec(cookie ?? '')?.[1];
  if (!sid) return null;
  const [s] = await raw.all<{ data: string; created_at: string; last_seen_at: string }>(
    `SELECT data, created_at, last_seen_at FROM web_session WHERE id_sha256 = ${ph(raw, 1)}`,
    [createHash('sha256').update(sid).digest('hex')],
  );
  const now = Date.now();
  if (!s || now - Date.parse(s.last_seen_at) >= IDLE_MS || now - Date.parse(s.created_at) >= ABSOLUTE_MS) return null;
  const session = JSON.parse(s.data) as { userId?: number; _csrf?: string };
  const [u] = await raw.all<{ id: number | string; name: string; role: string; active: unknown }>(
    `SELECT id, name, role, active FROM app_user WHERE id = ${ph(raw, 1)}`,
    [session.userId],
  );
  if (!u || !(u.active === true || Number(u.active) === 1) || u.role !== 'programme_manager') return null;
  // A programme manager's notices: their projects' updates returned for revision or waiting for review.
  const [{ n }] = await raw.all<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM quarterly_update q JOIN user_project up ON up.project_id = q.project_id AND up.user_id = ${ph(raw, 1)}
      WHERE q.status IN ('returned', 'submitted')`,
    [u.id],
  );
  const prog = await programmeOf(raw, code);
  const rows = await raw.all<{ code: string; name: string; status: string | null }>(
    `SELECT p.code, p.name, q.status FROM project p
       JOIN user_project up ON up.project_id = p.id AND up.user_id = ${ph(raw, 1)}
       LEFT JOIN quarterly_update q ON q.project_id = p.id AND q.quarter = ${ph(raw, 2)}
      WHERE p.programme_id = ${ph(raw, 3)} AND p.status <> 'withdrawn'
      ORDER BY p.code`,
    [u.id, prog.quarter, prog.id],
  );
  // A token of the session's CSRF secret, as @fastify/csrf makes it (salt, then a SHA-1 of salt and secret).
  const salt = randomBytes(6).toString('base64url');
  const csrf = `${salt}-${createHash('sha1')
    .update(`${salt}-${session._csrf ?? ''}`)
    .digest('base64url')}`;
  return page(
    {
      userName: u.name,
      notices: Number(n),
      programmeName: prog.name,
      programmeCode: code,
      quarter: prog.quarter,
      rows: rows.map((r) => ({ code: r.code, name: r.name, status: r.status ?? 'not_started' })),
    },
    csrf,
  );
}

async function bareHtmlServer(raw: RawDb, code: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    bareTaskList(raw, req.headers.cookie, code).then(
      (html) => {
        if (html === null) {
          res.writeHead(303, { location: '/manage/sign-in' }).end();
          return;
        }
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'content-length': Buffer.byteLength(html),
        });
        res.end(html);
      },
      (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String((e as Error)?.message ?? e)),
    );
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

/** Sets one project in five at each stage of the reporting quarter; returns how to undo it. */
export async function seedUpdates(raw: RawDb, code: string): Promise<() => Promise<void>> {
  const prog = await programmeOf(raw, code);
  const projects = await raw.all<{ id: number | string }>(
    `SELECT id FROM project WHERE programme_id = ${ph(raw, 1)} AND status <> 'withdrawn' ORDER BY code`,
    [prog.id],
  );
  const at = '2026-01-01T00:00:00.000Z';
  const sql = `INSERT INTO quarterly_update (programme_id, project_id, quarter, status, draft, submitted_by, submitted_at, return_comment, version, updated_at)
               VALUES (${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => ph(raw, i)).join(', ')})`;
  for (const [i, p] of projects.entries()) {
    const status = SEEDED[i % SEEDED.length];
    if (status === null) continue;
    const sent = status !== 'in_progress';
    await raw.run(sql, [
      prog.id,
      Number(p.id),
      prog.quarter,
      status,
      '{}',
      sent ? 'Bench Partner <partner@bench.example>' : null,
      sent ? at : null,
      status === 'returned' ? 'Check the spend figures' : null,
      1,
      at,
    ]);
  }
  return async () =>
    void (await raw.run(`DELETE FROM quarterly_update WHERE programme_id = ${ph(raw, 1)} AND quarter = ${ph(raw, 2)}`, [
      prog.id,
      prog.quarter,
    ]));
}

/** A programme manager of every project of the programme, signed in over HTTP: the session cookie. */
async function signedInManager(
  t: BenchTarget,
  base: string,
  code: string,
): Promise<{ cookie: string; userId: number }> {
  const projects = (
    await t.raw.all<{ code: string }>(
      `SELECT p.code FROM project p JOIN programme g ON g.id = p.programme_id WHERE g.code = ${ph(t.raw, 1)}`,
      [code],
    )
  ).map((r) => r.code);
  const email = `manager-${randomBytes(4).toString('hex')}@bench.example`;
  const password = 'pale sandwich orbit bench';
  const user = await t.app
    .get(AuthService)
    .createUser({ name: 'Bench Manager', email, role: 'programme_manager', projects, programme: code }, SYSTEM_ACTOR);
  await t.app.get(AccountsService).setPassword(email, password, SYSTEM_ACTOR);
  const cookieOf = (r: Response) => /gdt_session=([^;]+)/.exec(r.headers.getSetCookie().join('\n'))?.[1];
  const form = await fetch(`${base}/manage/sign-in`);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const signed = await fetch(`${base}/manage/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `gdt_session=${cookieOf(form)}` },
    body: new URLSearchParams({ _csrf: token, email, password }).toString(),
  });
  const sid = cookieOf(signed);
  if (signed.status !== 303 || !sid) throw new Error(`bench sign-in failed: ${signed.status}`);
  return { cookie: `gdt_session=${sid}`, userId: user.id };
}

export interface TaskListMeasure extends HttpMeasure {
  rows: number;
  notices: number;
  /** Timed runs of each side (the requests per second reported are each side's median). */
  rounds: number;
}

/**
 * App vs bare server throughput for the largest programme's task list, the pages compared first.
 * Each side first answers an untimed warm-up (its first requests compile templates and
 * statements; those answers are the ones compared), then `rounds` timed runs each, alternating
 * which side goes first so neither always follows the other, and each side's median counts.
 */
export async function measureTaskListHttp(
  t: BenchTarget,
  base: string,
  code: string,
  load: { requests: number; concurrency: number; rounds?: number },
): Promise<TaskListMeasure> {
  const rounds = Math.max(1, load.rounds ?? 2);
  const undo = await seedUpdates(t.raw, code);
  // Concurrent requests: on PostgreSQL the bare server gets a pool as large as the app's.
  const raw = t.kind === 'postgres' ? openRawPostgresPool(t.env.DATABASE_URL, t.env.DATABASE_SCHEMA) : t.raw;
  const bare = await bareHtmlServer(raw, code);
  let userId: number | undefined;
  try {
    const signedIn = await signedInManager(t, base, code);
    userId = signedIn.userId;
    const cookie = signedIn.cookie;
    const appUrl = `${base}/manage/quarter?programme=${encodeURIComponent(code)}`;
    const bareUrl = `${bare.url}/`;
    const run = async (url: string, requests: number) => {
      const r = await loadTest(url, { requests, concurrency: load.concurrency, headers: { cookie } });
      if (r.statuses['200'] !== requests)
        throw new Error(`task list load saw other answers from ${url}: ${JSON.stringify(r.statuses)}`);
      return r;
    };
    const warm = Math.max(load.concurrency * 2, 4);
    const a1 = await run(appUrl, warm);
    const b1 = await run(bareUrl, warm);
    const [pa, pb] = [comparableHtml(a1.firstBody), comparableHtml(b1.firstBody)];
    if (pa !== pb) {
      let i = 0;
      while (pa[i] === pb[i]) i++;
      // Both pages are kept so the difference can be read whole (a layout change moves everything after it).
      const dir = mkdtempSync(join(tmpdir(), 'gdt-task-list-'));
      writeFileSync(join(dir, 'app.html'), pa);
      writeFileSync(join(dir, 'bare.html'), pb);
      const at = Math.max(0, i - 60);
      throw new BaselineMismatchError(
        `${appUrl}: the bare server's page differs from the app's at character ${i}: app "${pa.slice(at, i + 60)}", bare "${pb.slice(at, i + 60)}" (both pages in ${dir})`,
      );
    }
    const appRuns: number[] = [];
    const bareRuns: number[] = [];
    for (let i = 0; i < rounds; i++) {
      // Bare first in even rounds: the warm-up ran the app first.
      const order = i % 2 === 0 ? [bareUrl, appUrl] : [appUrl, bareUrl];
      for (const url of order) (url === appUrl ? appRuns : bareRuns).push((await run(url, load.requests)).perSecond);
    }
    const rows = (a1.firstBody.match(/govuk-task-list__item /g) ?? []).length;
    const notices = Number(/lep-header__count[^>]*>(\d+)</.exec(a1.firstBody)?.[1]);
    return {
      appRps: median(appRuns),
      bareRps: median(bareRuns),
      requests: load.requests,
      concurrency: load.concurrency,
      rounds,
      rows,
      notices,
    };
  } finally {
    await bare.close();
    if (raw !== t.raw) await raw.close();
    await undo();
    // The manager's assignments and session go too: later rows empty the deal tables.
    for (const table of ['user_project', 'web_session'])
      if (userId !== undefined) await t.raw.run(`DELETE FROM ${table} WHERE user_id = ${ph(t.raw, 1)}`, [userId]);
  }
}
