import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { spreadsheetCsv } from '../../common/csv';
import { compareQuarters, formatQuarter, parseQuarter, quarterOfDate, quarterRange } from '../../common/fiscal';
import { ValidationError } from '../../common/errors';
import { Db } from '../../database/db.service';
import { Programme } from '../../programmes/programme.entity';
import { Project } from '../../projects/project.entity';
import { AuditInWords, inWords } from './audit-words';

export const AUDIT_PAGE_SIZE = 50;
/** A download is bounded: filter by project or quarter for more. */
export const AUDIT_CSV_MAX_ROWS = 50_000;

export interface AuditFilter {
  projectId?: number;
  quarter?: string;
  page: number;
}

/** Parses the page's query string; bad values are a 400 naming the field. */
export function auditFilter(q: Record<string, unknown>): AuditFilter {
  const problems: { field: string; problem: string }[] = [];
  const out: AuditFilter = { page: 1 };
  const project = typeof q.project === 'string' ? q.project.trim() : '';
  if (project) {
    if (/^[1-9]\d{0,9}$/.test(project)) out.projectId = Number(project);
    else problems.push({ field: 'project', problem: 'Select a project from the list' });
  }
  const quarter = typeof q.quarter === 'string' ? q.quarter.trim() : '';
  if (quarter) {
    try {
      out.quarter = formatQuarter(parseQuarter(quarter));
    } catch {
      problems.push({ field: 'quarter', problem: 'Select a quarter from the list' });
    }
  }
  const page = typeof q.page === 'string' ? q.page : '1';
  if (/^[1-9]\d{0,5}$/.test(page)) out.page = Number(page);
  else problems.push({ field: 'page', problem: 'Page must be a whole number' });
  if (problems.length) throw new ValidationError(problems);
  return out;
}

export const AUDIT_CSV_HEADER = ['Entry', 'When (UTC)', 'Who', 'Project', 'What', 'Field', 'Before', 'After'];

@Injectable()
export class AuditPagesService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  /** The filter's choices: every project by name, every programme quarter. Two queries. */
  choices() {
    return this.db.read(async (m) => {
      const projects = await m.find(Project, { select: ['id', 'name'], order: { name: 'ASC' } });
      const programmes = await m.find(Programme, { select: ['id', 'firstQuarter', 'endsOn'] });
      const quarters = new Map<string, { year: number; q: 1 | 2 | 3 | 4 }>();
      for (const p of programmes)
        for (const q of quarterRange(parseQuarter(p.firstQuarter), quarterOfDate(p.endsOn)))
          quarters.set(formatQuarter(q), q);
      return {
        projects: projects.map((p) => ({ id: p.id, name: p.name })),
        quarters: [...quarters.values()].sort(compareQuarters).map(formatQuarter),
      };
    });
  }

  private async names(): Promise<Map<number, string>> {
    const rows = await this.db.read((m) => m.find(Project, { select: ['id', 'name'] }));
    return new Map(rows.map((p) => [p.id, p.name]));
  }

  async page(f: AuditFilter): Promise<{ items: AuditInWords[]; total: number; pages: number }> {
    const res = await this.audit.search({
      projectId: f.projectId,
      quarter: f.quarter,
      limit: AUDIT_PAGE_SIZE,
      offset: (f.page - 1) * AUDIT_PAGE_SIZE,
    });
    const names = await this.names();
    return {
      items: res.items.map((a) => inWords(a, names)),
      total: res.total,
      pages: Math.max(1, Math.ceil(res.total / AUDIT_PAGE_SIZE)),
    };
  }

  /**
   * The same entries as CSV: one row per field changed (or one for an entry without fields),
   * through the one spreadsheet CSV writer (a cell a spreadsheet would run as a formula is
   * neutralised: people type the titles, names and notes it quotes).
   */
  async csv(f: AuditFilter): Promise<string> {
    const res = await this.audit.search({ projectId: f.projectId, quarter: f.quarter, limit: AUDIT_CSV_MAX_ROWS });
    const names = await this.names();
    const rows: string[][] = [];
    for (const e of res.items.map((a) => inWords(a, names))) {
      const base = [String(e.id), e.at, e.who, e.project ?? '', e.summary];
      if (!e.changes.length) rows.push([...base, '', '', '']);
      for (const c of e.changes) rows.push([...base, c.field, c.before, c.after]);
    }
    return spreadsheetCsv([AUDIT_CSV_HEADER, ...rows]);
  }
}
