import { Injectable } from '@nestjs/common';
import { LazyModuleLoader } from '@nestjs/core';
import { Writable } from 'node:stream';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { NotFoundError, RuleViolationError, ValidationError } from '../common/errors';
import {
  compareQuarters,
  FiscalQuarter,
  formatQuarter,
  longDate,
  quarterEnd,
  quarterStart,
  quarterUrl,
} from '../common/fiscal';
import { Db } from '../database/db.service';
import { PeriodsService } from '../periods/periods.service';
import { asOfDate, returnStatus, wallClockDate } from '../periods/programme-clock';
import { lastSubmittedReturn } from '../spend/outturn';
import { readSnapshot } from '../periods/return-snapshot';
import { ReturnVersion } from '../periods/return-version.entity';
import { findProgramme } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { onlyProgramme } from '../spend/actuals-csv';
import { ReturnComment } from './return-comment.entity';
import { assertSubmittable, checksTable, countChecks, rankChecks } from './checks';
import {
  ReturnCheck,
  ReturnContext,
  ReturnDocument,
  SECTION_ORDER,
  SECTION_TITLES,
  SectionKey,
  SectionProvider,
  SectionTable,
  sha256,
  snapshotHash,
  snapshotOf,
  snapshotPieces,
  summaryTotals,
  toJsonDocument,
} from './return-document';
import { returnFileName, returnFooter, returnSheets } from './return-sheets';
import { storedSummaryTotals, storeReturnVersion } from './store-version';
import { SummarySection } from './sections/summary.section';
import { ChangesSection } from './sections/changes.section';
import { ReconciliationSection } from './sections/reconciliation.section';
import { FinanceSection, ForecastYearsSection, spendSummaryColumns } from './sections/finance.section';
import { agreedSummaryColumns } from './sections/agreed.columns';
import { MilestonesSection } from './sections/milestones.section';
import { OutputsSection } from './sections/outputs.section';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { parseSnapshot, ParsedReturn } from './variance';

export interface ReturnExport {
  filename: string;
  status: 'draft' | 'submitted';
  version: number;
  contentHash: string;
  /** The frozen bytes of a submitted version. */
  bytes?: Buffer;
  xlsxSha256?: string | null;
  /** Rows to write (for a progress bar). */
  rows: number;
  /** Streams a draft to `out`. */
  write?: (out: Writable, onProgress?: (rowsWritten: number) => void) => Promise<void>;
}

/** A submitted version's columns but its frozen bytes (snapshot, xlsx). */
const SAVED_COLUMNS: (keyof ReturnVersion)[] = [
  'id',
  'programmeId',
  'quarter',
  'version',
  'status',
  'snapshotSha256',
  'xlsxSha256',
  'reason',
  'comments',
  'submittedBy',
  'submittedAt',
  'submittedOn',
];

interface Meta {
  status: 'draft' | 'submitted';
  version: number;
  by: string;
  /** Wall-clock instant, recorded. */
  at: string;
  /** Programme date (the as-of date, or a replayed submission's own date): what the cover dates it. */
  on: string;
  reason: string | null;
}

export function presentVersion(v: ReturnVersion) {
  return {
    quarter: v.quarter,
    version: v.version,
    status: v.status,
    contentHash: v.snapshotSha256,
    xlsxSha256: v.xlsxSha256,
    submittedBy: v.submittedBy,
    submittedAt: v.submittedAt,
    submittedOn: v.submittedOn,
    reason: v.reason,
    comments: v.comments ?? {},
  };
}

/**
 * A submitted version as its audit entry holds it (the submission's after, a resubmission's
 * before): which version, its hashes, who, when, why, and the summary's "Total, all sources".
 */
function auditedVersion(v: ReturnVersion, totals: Record<string, unknown> | null) {
  return { ...presentVersion(v), totals };
}

/** The xlsx writer (and exceljs under it) is loaded by the commands and routes that write a workbook, on first use. */
const xlsxWriter = () => import('../xlsx/writer');

/**
 * A submitted return's workbook, to store: streamed to a temporary file (memory holds the
 * writer's rows in passing, never the zip being built), then read back as the frozen bytes.
 */
async function frozenXlsx(doc: ReturnDocument, contentHash: string, created: Date): Promise<Buffer> {
  const [{ writeXlsxToFile }, fs, os, path] = await Promise.all([
    xlsxWriter(),
    import('node:fs/promises'),
    import('node:os'),
    import('node:path'),
  ]);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gdt-return-'));
  try {
    const file = path.join(dir, 'return.xlsx');
    await writeXlsxToFile(file, returnSheets(doc, contentHash), { created, footer: returnFooter(doc) });
    return await fs.readFile(file);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Quarterly returns: a live draft assembled on request from the sections of returns/sections/; a
 * submission freezes the JSON snapshot (exact bytes) and the xlsx (exact bytes), each with its
 * SHA-256, and closes the quarter; a resubmission is version n+1 with a reason.
 */
@Injectable()
export class ReturnsService {
  /** The return's sections in the order of SECTION_ORDER (cover and checks are this service's own). */
  private readonly sections: SectionProvider[];

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly periods: PeriodsService,
    private readonly lazy: LazyModuleLoader,
    reconciliation: ReconciliationService,
  ) {
    const provided: SectionProvider[] = [
      new SummarySection([spendSummaryColumns, agreedSummaryColumns]),
      new FinanceSection(),
      new ForecastYearsSection(),
      new MilestonesSection(),
      new OutputsSection(),
      new ChangesSection(() => this.changeRequests()),
      new ReconciliationSection(reconciliation),
    ];
    this.sections = SECTION_ORDER.map((k) => provided.find((p) => p.key === k)).filter(
      (p): p is SectionProvider => !!p,
    );
  }

  /**
   * The change requests' service, from their module loaded on first use (the server has it
   * already; a return command loads it only for a return that lists decided change requests).
   * A lazily loaded module's lifecycle hooks do not run, so its kinds are registered here (a
   * second call registers nothing).
   */
  private async changeRequests() {
    const [{ ChangesModule }, { ChangeRequestsService }] = await Promise.all([
      import('../changes/changes.module'),
      import('../changes/change-requests.service'),
    ]);
    const ref = await this.lazy.load(() => ChangesModule);
    ref.get(ChangesModule).onModuleInit();
    return ref.get(ChangeRequestsService);
  }

  /** Sections of SECTION_ORDER that no provider builds, named on the cover (never faked). */
  private missingSections(): SectionKey[] {
    return SECTION_ORDER.filter((k) => k !== 'cover' && k !== 'checks' && !this.sections.some((p) => p.key === k));
  }

  /** The quarter must be a real quarter of the programme, not after its reporting quarter. */
  private async resolve(
    m: EntityManager,
    code: string,
    quarter: string,
  ): Promise<{ prog: Programme; q: FiscalQuarter; current: FiscalQuarter }> {
    const prog = await findProgramme(m, code);
    const q = this.periods.checkInProgramme(prog, quarter);
    const current = await this.periods.currentQuarter(m, prog);
    if (compareQuarters(q, current) > 0) {
      throw new RuleViolationError(
        'FUTURE_QUARTER',
        `${formatQuarter(q)} is after the programme's reporting quarter ${formatQuarter(current)}: its return cannot be prepared yet`,
        'quarter',
      );
    }
    return { prog, q, current };
  }

  /** A quarter's submitted versions, oldest first, without their frozen bytes (snapshot, xlsx). */
  private versionsOf(m: EntityManager, programmeId: number, quarter: string): Promise<ReturnVersion[]> {
    return m.find(ReturnVersion, { where: { programmeId, quarter }, order: { version: 'ASC' }, select: SAVED_COLUMNS });
  }

  /** One version with its frozen bytes. */
  private frozen(m: EntityManager, v: ReturnVersion): Promise<ReturnVersion> {
    return m.findOneByOrFail(ReturnVersion, { id: v.id });
  }

  /** The last submitted return as at this quarter (spend/outturn.ts defines it). */
  private async lastReturn(m: EntityManager, programmeId: number, q: FiscalQuarter): Promise<ParsedReturn | null> {
    const row = await lastSubmittedReturn(m, programmeId, formatQuarter(q), { snapshot: true });
    return row ? parseSnapshot(row.quarter, row.version, row.snapshotSha256, row.snapshot) : null;
  }

  /**
   * A draft states the facts as they stand (outputs delivered to the last submitted quarter), but
   * once submitted its own quarter counts as submitted, and a section may then raise a warning the
   * draft did not (a jobs headline becomes comparable, and does not agree). Those warnings are
   * listed on the draft too, said as what submission will show, so the comments finance writes on
   * the draft's warnings are all that submission asks for.
   */
  private async raisedOnSubmission(ctx: ReturnContext, draft: readonly ReturnCheck[]): Promise<ReturnCheck[]> {
    const seen = new Set(draft.map((c) => c.code));
    const out: ReturnCheck[] = [];
    for (const p of this.sections.filter((s) => s.changesWhenSubmitted)) {
      for (const c of (await p.build({ ...ctx, submitting: true })).checks) {
        if (c.severity !== 'warning' || seen.has(c.code)) continue;
        seen.add(c.code);
        out.push({
          ...c,
          message: `once submitted (${formatQuarter(ctx.quarter)} then counts as submitted, so its outputs count as delivered): ${c.message}`,
        });
      }
    }
    return out;
  }

  private async assemble(
    m: EntityManager,
    prog: Programme,
    q: FiscalQuarter,
    meta: Meta,
    comments: Record<string, string> = {},
  ): Promise<ReturnDocument> {
    const ctx: ReturnContext = {
      m,
      programme: prog,
      quarter: q,
      lastReturn: await this.lastReturn(m, prog.id, q),
      submitting: meta.status === 'submitted',
    };
    const tables: SectionTable[] = [];
    const checks: ReturnCheck[] = [];
    const data: NonNullable<ReturnDocument['data']> = {};
    for (const p of this.sections) {
      const res = await p.build(ctx);
      if (res.table) tables.push(res.table);
      if (res.data) data[p.key] = res.data;
      checks.push(...res.checks);
    }
    if (!ctx.submitting) checks.push(...(await this.raisedOnSubmission(ctx, checks)));
    const missing = this.missingSections().map((k) => SECTION_TITLES[k]);
    if (missing.length)
      checks.push({
        code: 'SECTIONS_NOT_INCLUDED',
        severity: 'note',
        section: 'cover',
        message: `${missing.join(', ')}: not yet recorded in this system, so not part of this return`,
      });
    const ranked = rankChecks(checks, comments);
    return {
      cover: {
        programme: prog.code,
        programmeName: prog.name,
        quarter: formatQuarter(q),
        quarterStart: quarterStart(q),
        quarterEnd: quarterEnd(q),
        version: meta.version,
        status: meta.status,
        preparedBy: meta.by,
        preparedAt: meta.at,
        preparedOn: meta.on,
        reason: meta.reason,
        lastReturn: ctx.lastReturn
          ? {
              quarter: ctx.lastReturn.quarter,
              version: ctx.lastReturn.version,
              contentHash: ctx.lastReturn.contentHash,
            }
          : null,
        sectionsNotIncluded: missing,
        checkCounts: countChecks(ranked),
      },
      sections: [...tables, checksTable(ranked)],
      checks: ranked,
      data,
    };
  }

  private async draft(m: EntityManager, code: string, quarter: string, actor: Actor) {
    const { prog, q } = await this.resolve(m, code, quarter);
    const versions = await this.versionsOf(m, prog.id, formatQuarter(q));
    const next = (versions.at(-1)?.version ?? 0) + 1;
    const at = new Date().toISOString();
    const doc = await this.assemble(m, prog, q, {
      status: 'draft',
      version: next,
      by: actor.name,
      at,
      on: asOfDate(prog, wallClockDate(new Date(at))),
      reason: null,
    });
    return { prog, q, versions, doc };
  }

  /**
   * A quarter's return: its latest frozen version once submitted (unless `live`, to preview a
   * resubmission), otherwise the live draft.
   */
  view(code: string, quarter: string, live: boolean, actor: Actor) {
    return this.db.read(async (m) => {
      const { prog, q } = await this.resolve(m, code, quarter);
      const versions = await this.versionsOf(m, prog.id, formatQuarter(q));
      const latest = versions.at(-1);
      if (latest && !live) {
        const v = await this.frozen(m, latest);
        return {
          ...presentVersion(v),
          programme: prog.code,
          return: JSON.parse(await readSnapshot(m, v.id)) as unknown,
        };
      }
      const { doc } = await this.draft(m, code, quarter, actor);
      const snap = snapshotOf(doc);
      return {
        programme: prog.code,
        quarter: doc.cover.quarter,
        version: doc.cover.version,
        status: 'draft' as const,
        contentHash: snap.sha256,
        submittable: doc.cover.checkCounts.error === 0,
        return: JSON.parse(snap.bytes) as unknown,
      };
    });
  }

  /** The checks of the live return, ranked (for `return check`). */
  checks(code: string, quarter: string, actor: Actor) {
    return this.db.read(async (m) => (await this.draft(m, code, quarter, actor)).doc);
  }

  /** The xlsx of a quarter: the frozen bytes once submitted, else the live draft, streamed. */
  exportXlsx(code: string, quarter: string, live: boolean, actor: Actor): Promise<ReturnExport> {
    return this.db.read(async (m) => {
      const { prog, q } = await this.resolve(m, code, quarter);
      const versions = await this.versionsOf(m, prog.id, formatQuarter(q));
      const latest = versions.at(-1);
      if (latest && !live) return this.frozenExport(prog, await this.frozen(m, latest));
      const { doc } = await this.draft(m, code, quarter, actor);
      // Only the hash is needed (the cover's): the JSON is hashed piece by piece, not kept.
      const contentHash = snapshotHash(doc);
      const sheets = returnSheets(doc, contentHash);
      const rows = sheets.reduce((s, x) => s + (x.rows as unknown[]).length, 0);
      return {
        filename: returnFileName(prog.code, quarterUrl(q), doc.cover.version, 'draft'),
        status: 'draft' as const,
        version: doc.cover.version,
        contentHash,
        rows,
        write: async (out: Writable, onProgress?: (n: number) => void) => {
          const { writeXlsx } = await xlsxWriter();
          let done = 0;
          let inSheet = 0;
          let sheet = '';
          await writeXlsx(out, sheets, {
            footer: returnFooter(doc),
            onProgress: (s, n) => {
              if (s !== sheet) [sheet, inSheet] = [s, 0];
              done += n - inSheet;
              inSheet = n;
              onProgress?.(done);
            },
          });
        },
      };
    });
  }

  private frozenExport(prog: Programme, v: ReturnVersion): ReturnExport {
    if (!v.xlsxBase64) throw new NotFoundError('spreadsheet of return version', `${v.quarter} v${v.version}`);
    const bytes = Buffer.from(v.xlsxBase64, 'base64');
    return {
      filename: returnFileName(prog.code, quarterUrl(v.quarter), v.version, 'submitted'),
      status: 'submitted',
      version: v.version,
      contentHash: v.snapshotSha256,
      xlsxSha256: v.xlsxSha256,
      bytes,
      rows: 0,
    };
  }

  list(code: string) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const rows = await m.find(ReturnVersion, {
        where: { programmeId: prog.id },
        order: { quarter: 'ASC', version: 'ASC' },
      });
      return {
        programme: prog.code,
        reportingQuarter: formatQuarter(await this.periods.currentQuarter(m, prog)),
        items: rows.map(presentVersion),
        ...(await this.periods.schedule(m, prog)),
      };
    });
  }

  private async findVersion(m: EntityManager, code: string | undefined, quarter: string, version: number) {
    const prog = await this.programmeOf(m, code);
    const q = this.periods.checkInProgramme(prog, quarter);
    const v = await m.findOne(ReturnVersion, { where: { programmeId: prog.id, quarter: formatQuarter(q), version } });
    if (!v) throw new NotFoundError('return version', `${formatQuarter(q)} v${version}`, 'version');
    return { prog, v };
  }

  /** A submitted version exactly as frozen: its JSON bytes, or its xlsx bytes. */
  version(code: string | undefined, quarter: string, version: number, format: 'json' | 'xlsx') {
    return this.db.read(async (m) => {
      const { prog, v } = await this.findVersion(m, code, quarter, version);
      if (format === 'xlsx') return this.frozenExport(prog, v);
      return {
        filename: returnFileName(prog.code, quarterUrl(v.quarter), v.version, 'submitted').replace(/\.xlsx$/, '.json'),
        bytes: Buffer.from(await readSnapshot(m, v.id), 'utf8'),
        contentHash: v.snapshotSha256,
        version: v.version,
        status: 'submitted' as const,
        rows: 0,
      };
    });
  }

  /** A named programme, or the only one (the staff pages' default). */
  private programmeOf(m: EntityManager, code: string | undefined): Promise<Programme> {
    return code ? findProgramme(m, code) : onlyProgramme(m);
  }

  /** The comments written so far on a quarter's warnings, keyed by check code. */
  private async writtenComments(m: EntityManager, programmeId: number, quarter: string) {
    const rows = await m.find(ReturnComment, { where: { programmeId, quarter }, order: { checkCode: 'ASC' } });
    return Object.fromEntries(rows.map((r) => [r.checkCode, r.comment]));
  }

  /**
   * Every programme's reporting quarter and where its return stands against the programme's
   * as-of date (periods/programme-clock.ts): `state` is `due` until the programme's final return
   * is submitted (then `closed`); `standing` is the reporting quarter's own status (overdue, due,
   * open, future); `overdue` every overdue quarter, oldest first. Three queries for all programmes.
   */
  dueReturns() {
    return this.db.read(async (m) => {
      const programmes = await m.find(Programme, { order: { code: 'ASC' } });
      const submitted = await this.periods.submittedByProgramme(m);
      const views = await this.periods.schedules(m, programmes);
      return programmes.map((p, i) => {
        const pos = this.periods.positionOf(p, submitted.get(p.id) ?? new Set());
        const quarter = formatQuarter(pos.quarter);
        const mine = views[i].schedule.find((r) => r.quarter === quarter);
        return {
          programme: p.code,
          programmeName: p.name,
          quarter,
          quarterEnd: quarterEnd(pos.quarter),
          dueOn: mine?.dueOn ?? null,
          asOfDate: views[i].asOfDate,
          state: pos.closed ? ('closed' as const) : ('due' as const),
          standing: pos.closed ? ('closed' as const) : (mine?.status ?? 'due'),
          overdue: views[i].overdue,
        };
      });
    });
  }

  /**
   * Closing a quarter in the staff pages: the live draft with the comments written so far on
   * its warnings (ranked as a submission would rank them), and every submitted version.
   * Without a quarter, the programme's reporting quarter.
   */
  closing(code: string | undefined, quarter: string | undefined, actor: Actor) {
    return this.db.read(async (m) => {
      const prog = await this.programmeOf(m, code);
      const { q, current } = await this.resolve(
        m,
        prog.code,
        quarter ?? formatQuarter(await this.periods.currentQuarter(m, prog)),
      );
      const versions = await this.versionsOf(m, prog.id, formatQuarter(q));
      const written = await this.writtenComments(m, prog.id, formatQuarter(q));
      const clock = await this.periods.schedule(m, prog);
      const doc = await this.assemble(
        m,
        prog,
        q,
        {
          status: 'draft',
          version: (versions.at(-1)?.version ?? 0) + 1,
          by: actor.name,
          at: new Date().toISOString(),
          on: clock.asOfDate,
          reason: null,
        },
        written,
      );
      const snap = snapshotOf(doc);
      const warnings = doc.checks.filter((c) => c.severity === 'warning');
      return {
        programme: { code: prog.code, name: prog.name },
        quarter: formatQuarter(q),
        reportingQuarter: formatQuarter(current),
        version: doc.cover.version,
        contentHash: snap.sha256,
        checks: doc.checks,
        counts: doc.cover.checkCounts,
        uncommented: warnings.filter((w) => !w.comment).map((w) => w.code),
        return: JSON.parse(snap.bytes) as ReturnType<typeof toJsonDocument>,
        versions: versions.map(presentVersion),
        /** The quarter's return against the programme's as-of date: due by, and due, overdue or submitted (late). */
        standing: clock.schedule.find((r) => r.quarter === formatQuarter(q))!,
        asOfDate: clock.asOfDate,
      };
    });
  }

  /**
   * Writes (or rewrites) the comment on one warning of a quarter's live return. The check must
   * be a warning of that return now; the text 1 to 2,000 characters, as the API's comments.
   */
  writeComment(code: string | undefined, quarter: string, check: string, text: string, actor: Actor) {
    const comment = text.trim();
    if (!comment) throw new ValidationError([{ field: 'comment', problem: 'Enter a comment on this warning' }]);
    if (comment.length > 2000)
      throw new ValidationError([{ field: 'comment', problem: 'Comment must be 2,000 characters or fewer' }]);
    return this.db.write(async (m) => {
      const prog = await this.programmeOf(m, code);
      const { q } = await this.resolve(m, prog.code, quarter);
      const { doc } = await this.draft(m, prog.code, formatQuarter(q), actor);
      const warnings = doc.checks.filter((c) => c.severity === 'warning').map((c) => c.code);
      if (!warnings.includes(check))
        throw new RuleViolationError(
          'UNKNOWN_CHECK_COMMENT',
          `${check || 'that check'} is not a warning in this return (warnings: ${warnings.join(', ') || 'none'})`,
          'check',
          { checks: [check] },
        );
      const where = { programmeId: prog.id, quarter: formatQuarter(q), checkCode: check };
      const before = await m.findOne(ReturnComment, { where });
      const at = new Date().toISOString();
      if (before) await m.update(ReturnComment, { id: before.id }, { comment, updatedBy: actor.name, updatedAt: at });
      else await m.insert(ReturnComment, { ...where, comment, updatedBy: actor.name, updatedAt: at });
      const row = await m.findOneByOrFail(ReturnComment, where);
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        entity: 'return_comment',
        entityId: row.id,
        action: before ? 'update' : 'create',
        before: before ? { quarter: before.quarter, check: before.checkCode, comment: before.comment } : undefined,
        after: { quarter: row.quarter, check: row.checkCode, comment: row.comment },
      });
      return { quarter: row.quarter, check: row.checkCode, comment: row.comment };
    });
  }

  /**
   * Submits a quarter with the comments written on its warnings (those on checks that are no
   * longer warnings are left out), gated exactly as `submit`. `version` is the version the
   * person saw they were submitting: if another was submitted meanwhile, refused naming it.
   */
  submitWritten(code: string | undefined, quarter: string, input: { reason?: string; version: number }, actor: Actor) {
    const reason = input.reason?.trim() || null;
    return this.db.write(async (m) => {
      const prog = await this.programmeOf(m, code);
      const { q } = await this.resolve(m, prog.code, quarter);
      await this.periods.hold(m, prog.id, 'exclusive');
      const latest = (await this.versionsOf(m, prog.id, formatQuarter(q))).at(-1);
      const next = (latest?.version ?? 0) + 1;
      if (input.version !== next)
        throw new RuleViolationError(
          'VERSION_ALREADY_SUBMITTED',
          latest
            ? `version ${latest.version} of ${formatQuarter(q)} was submitted by ${latest.submittedBy} meanwhile: check the return as it now stands before submitting version ${next}`
            : `the next version of ${formatQuarter(q)} is ${next}, not ${input.version}`,
          'version',
        );
      const comments = await this.writtenComments(m, prog.id, formatQuarter(q));
      return this.submitIn(m, prog.code, formatQuarter(q), { comments, reason, onlyWarnings: true }, actor);
    });
  }

  /** Freezes the return: checks gate it, then snapshot + xlsx + hashes are stored in one transaction. */
  submit(code: string, quarter: string, input: { comments?: Record<string, string>; reason?: string }, actor: Actor) {
    const comments = Object.fromEntries(Object.entries(input.comments ?? {}).map(([k, v]) => [k, String(v).trim()]));
    const reason = input.reason?.trim() || null;
    return this.db.write((m) => this.submitIn(m, code, quarter, { comments, reason }, actor));
  }

  /** The live draft's document inside a caller's unit of work (the demo reads its warnings). */
  async draftIn(m: EntityManager, code: string, quarter: string, actor: Actor): Promise<ReturnDocument> {
    return (await this.draft(m, code, quarter, actor)).doc;
  }

  /**
   * Submission inside a caller's transaction (the demo closes its quarters in its own).
   * `submittedOn` is the programme date of the submission: the programme's as-of date unless a
   * replayed history (the demo) gives its own; the wall-clock instant is recorded beside it.
   */
  async submitIn(
    m: EntityManager,
    code: string,
    quarter: string,
    input: {
      comments: Record<string, string>;
      reason: string | null;
      onlyWarnings?: boolean;
      submittedOn?: string;
    },
    actor: Actor,
  ) {
    const { reason } = input;
    let { comments } = input;
    const { prog, q } = await this.resolve(m, code, quarter);
    // Exclusive: no actual, forecast, claim or adjustment commits while the return is assembled
    // and frozen, and two submissions of one quarter run one after the other.
    await this.periods.hold(m, prog.id, 'exclusive');
    const versions = await this.versionsOf(m, prog.id, formatQuarter(q));
    const previous = versions.at(-1);
    if (previous && !reason) {
      throw new RuleViolationError(
        'REASON_REQUIRED',
        `${formatQuarter(q)} was submitted as version ${previous.version} on ${longDate(previous.submittedOn ?? previous.submittedAt, previous.submittedOn ?? previous.submittedAt)} (programme date; recorded at ${previous.submittedAt}): a resubmission needs a written reason`,
        'reason',
      );
    }
    // The previous version as its audit entry holds it, read now: its totals are taken out of its
    // snapshot by the database, so that 10 MB never comes into the process.
    const before = previous ? auditedVersion(previous, await storedSummaryTotals(m, previous.id)) : null;
    const at = new Date().toISOString();
    const submittedOn = input.submittedOn ?? asOfDate(prog, wallClockDate(new Date(at)));
    const version = (previous?.version ?? 0) + 1;
    let doc: ReturnDocument | null = await this.assemble(
      m,
      prog,
      q,
      { status: 'submitted', version, by: actor.name, at, on: submittedOn, reason },
      comments,
    );
    if (input.onlyWarnings) {
      // Ranking attaches comments to warnings only, so the document is the same without the rest.
      const warnings = new Set(doc.checks.filter((c) => c.severity === 'warning').map((c) => c.code));
      comments = Object.fromEntries(Object.entries(comments).filter(([k]) => warnings.has(k)));
    }
    assertSubmittable(doc.checks, comments);
    // The xlsx first (its cover needs only the hash), streamed to a temporary file; the JSON's
    // bytes after it, in pieces, so neither is ever held whole; then the document is let go.
    const contentHash = snapshotHash(doc);
    const bytes = await frozenXlsx(doc, contentHash, new Date(at));
    // The JSON's bytes are made a second time, piece by piece, as they are stored.
    const stored = await storeReturnVersion(
      m,
      {
        programmeId: prog.id,
        quarter: formatQuarter(q),
        version,
        status: 'submitted',
        snapshotSha256: contentHash,
        xlsxBase64: bytes.toString('base64'),
        xlsxSha256: sha256(bytes),
        reason,
        comments: Object.keys(comments).length ? comments : null,
        submittedBy: actor.name,
        submittedAt: at,
        submittedOn,
      },
      snapshotPieces(doc),
    );
    if (stored.sha256 !== contentHash) throw new Error('the return changed while it was frozen');
    const { checks } = doc;
    const totals = summaryTotals(doc);
    doc = null;
    // Read back without the frozen bytes (the snapshot and the xlsx are what was just written).
    const saved = await m.findOneOrFail(ReturnVersion, {
      where: { programmeId: prog.id, quarter: formatQuarter(q), version },
      select: SAVED_COLUMNS,
    });
    await this.audit.record(m, actor, {
      programmeId: prog.id,
      entity: 'return_version',
      entityId: saved.id,
      action: version === 1 ? 'submit' : 'resubmit',
      before,
      after: auditedVersion(saved, totals),
    });
    // The quarter's standing as the staff return page shows it: on time or late by its first
    // version's programme date (a correction does not change when the return was first sent).
    const first = versions[0] ? (versions[0].submittedOn ?? versions[0].submittedAt).slice(0, 10) : submittedOn;
    return {
      ...presentVersion(saved),
      programme: prog.code,
      checks,
      reportingQuarter: formatQuarter(await this.periods.currentQuarter(m, prog)),
      standing: returnStatus(q, first, submittedOn, prog.returnDueMonths),
    };
  }
}
