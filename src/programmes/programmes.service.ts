import { monitoringEnd } from '../periods/monitoring';
import { asOfDate, DEFAULT_RETURN_DUE_MONTHS, wallClockDate } from '../periods/programme-clock';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import {
  ConflictError,
  DuplicateError,
  RuleViolationError,
  UnknownReferenceError,
  ValidationError,
} from '../common/errors';
import { PageQuery, page } from '../common/pagination';
import { presentSource } from '../common/present-source';
import { Db } from '../database/db.service';
import { toInt } from '../database/sql-values';
import { deleteVersioned, updateVersioned } from '../database/versioned';
import { Organisation } from '../organisations/organisation.entity';
import { CreateProgrammeDto, CreateThemeDto, UpdateProgrammeDto, UpdateThemeDto } from './dto/programme.dto';
import { findProgramme, findTheme } from './programme-lookup';
import { Programme } from './programme.entity';
import { Theme } from './theme.entity';

export function presentTheme(t: Theme) {
  return {
    id: t.id,
    code: t.code,
    name: t.name,
    description: t.description,
    position: t.position,
    source: presentSource(t.source),
    version: t.version,
  };
}

@Injectable()
export class ProgrammesService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  private async present(m: EntityManager, p: Programme) {
    const lep = p.lepOrganisationId ? await m.findOne(Organisation, { where: { id: p.lepOrganisationId } }) : null;
    return {
      id: p.id,
      code: p.code,
      name: p.name,
      description: p.description,
      lep: lep ? { code: lep.code, name: lep.name } : null,
      startsOn: p.startsOn,
      endsOn: p.endsOn,
      monitoringEndsOn: monitoringEnd(p),
      monitoringEndIsDefault: p.monitoringEndsOn === null,
      asOfDate: asOfDate(p, wallClockDate()),
      asOfIsDefault: p.asOfDate === null,
      returnDueMonths: p.returnDueMonths ?? DEFAULT_RETURN_DUE_MONTHS,
      firstQuarter: p.firstQuarter,
      ragThresholds: p.ragThresholds,
      synthetic: p.synthetic,
      version: p.version,
    };
  }

  list(q: PageQuery) {
    return this.db.read(async (m) => {
      const [items, total] = await m.findAndCount(Programme, {
        order: { code: 'ASC' },
        take: q.limit ?? 100,
        skip: q.offset ?? 0,
      });
      const orgs = new Map((await m.find(Organisation)).map((o) => [o.id, o]));
      return page(
        items.map((p) => ({
          id: p.id,
          code: p.code,
          name: p.name,
          lep: p.lepOrganisationId ? (orgs.get(p.lepOrganisationId)?.code ?? null) : null,
          startsOn: p.startsOn,
          endsOn: p.endsOn,
          firstQuarter: p.firstQuarter,
          synthetic: p.synthetic,
          version: p.version,
        })),
        total,
        q,
      );
    });
  }

  get(code: string) {
    return this.db.read(async (m) => this.present(m, await findProgramme(m, code)));
  }

  private async lepId(m: EntityManager, lep: string | undefined): Promise<number | null | undefined> {
    if (lep === undefined) return undefined;
    const o = await m.findOne(Organisation, { where: { code: lep } });
    if (!o) throw new UnknownReferenceError('lep', 'organisation', lep);
    return o.id;
  }

  private checkDates(
    startsOn: string,
    endsOn: string,
    monitoringEndsOn: string | null = null,
    asOf: string | null = null,
  ) {
    if (asOf !== null && asOf < startsOn)
      throw new ValidationError([
        {
          field: 'asOfDate',
          problem: `must be on or after startsOn (${startsOn}): the programme's own date cannot be before it starts`,
        },
      ]);
    if (endsOn <= startsOn)
      throw new RuleViolationError('DATES_OUT_OF_ORDER', `must be after startsOn (${startsOn})`, 'endsOn');
    if (monitoringEndsOn !== null && monitoringEndsOn < endsOn)
      throw new RuleViolationError(
        'DATES_OUT_OF_ORDER',
        `must be on or after endsOn (${endsOn}): outputs are monitored after the programme ends`,
        'monitoringEndsOn',
      );
  }

  create(dto: CreateProgrammeDto, actor: Actor) {
    return this.db.write(async (m) => {
      if (await m.findOne(Programme, { where: { code: dto.code } }))
        throw new DuplicateError('programme', 'code', dto.code);
      this.checkDates(dto.startsOn, dto.endsOn, dto.monitoringEndsOn ?? null, dto.asOfDate ?? null);
      const r = await m.insert(Programme, {
        code: dto.code,
        name: dto.name,
        description: dto.description ?? null,
        lepOrganisationId: (await this.lepId(m, dto.lep)) ?? null,
        startsOn: dto.startsOn,
        endsOn: dto.endsOn,
        monitoringEndsOn: dto.monitoringEndsOn ?? null,
        asOfDate: dto.asOfDate ?? null,
        returnDueMonths: dto.returnDueMonths ?? null,
        firstQuarter: dto.firstQuarter,
        ragThresholds: null,
        synthetic: false,
      });
      const p = await m.findOneByOrFail(Programme, { id: r.identifiers[0].id as number });
      await this.audit.record(m, actor, {
        programmeId: p.id,
        entity: 'programme',
        entityId: p.id,
        action: 'create',
        after: p,
      });
      return this.present(m, p);
    });
  }

  update(code: string, dto: UpdateProgrammeDto, actor: Actor) {
    return this.db.write(async (m) => {
      const before = await findProgramme(m, code);
      // One door per invariant: thresholds are checked (amber below green...) by the RAG route only.
      if (dto.ragThresholds !== undefined)
        throw new RuleViolationError(
          'ONE_DOOR',
          `RAG thresholds are set only through PUT /api/programmes/${before.code}/rag/thresholds, which checks them`,
          'ragThresholds',
        );
      const { version, lep, ...rest } = dto;
      const changes: Partial<Programme> = { ...rest };
      const lepId = await this.lepId(m, lep);
      if (lepId !== undefined) changes.lepOrganisationId = lepId;
      this.checkDates(
        dto.startsOn ?? before.startsOn,
        dto.endsOn ?? before.endsOn,
        dto.monitoringEndsOn ?? before.monitoringEndsOn,
        dto.asOfDate === undefined ? before.asOfDate : dto.asOfDate,
      );
      const after = await updateVersioned(m, Programme, 'programme', before.id, version, changes);
      await this.audit.record(m, actor, {
        programmeId: before.id,
        entity: 'programme',
        entityId: before.id,
        action: 'update',
        before,
        after,
      });
      return this.present(m, after);
    });
  }

  listThemes(code: string) {
    return this.db.read(async (m) => {
      const p = await findProgramme(m, code);
      return (await m.find(Theme, { where: { programmeId: p.id }, order: { position: 'ASC', code: 'ASC' } })).map(
        presentTheme,
      );
    });
  }

  getTheme(code: string, themeCode: string) {
    return this.db.read(async (m) => presentTheme(await findTheme(m, (await findProgramme(m, code)).id, themeCode)));
  }

  createTheme(code: string, dto: CreateThemeDto, actor: Actor) {
    return this.db.write(async (m) => {
      const p = await findProgramme(m, code);
      if (await m.findOne(Theme, { where: { programmeId: p.id, code: dto.code } }))
        throw new DuplicateError('theme', 'code', dto.code);
      const r = await m.insert(Theme, {
        programmeId: p.id,
        code: dto.code,
        name: dto.name,
        description: dto.description ?? null,
        position: dto.position ?? 0,
      });
      const t = await m.findOneByOrFail(Theme, { id: r.identifiers[0].id as number });
      await this.audit.record(m, actor, {
        programmeId: p.id,
        entity: 'theme',
        entityId: t.id,
        action: 'create',
        after: t,
      });
      return presentTheme(t);
    });
  }

  updateTheme(code: string, themeCode: string, dto: UpdateThemeDto, actor: Actor) {
    return this.db.write(async (m) => {
      const p = await findProgramme(m, code);
      const before = await findTheme(m, p.id, themeCode);
      const { version, ...changes } = dto;
      const after = await updateVersioned(m, Theme, 'theme', before.id, version, changes);
      await this.audit.record(m, actor, {
        programmeId: p.id,
        entity: 'theme',
        entityId: before.id,
        action: 'update',
        before,
        after,
      });
      return presentTheme(after);
    });
  }

  removeTheme(code: string, themeCode: string, version: number | undefined, actor: Actor) {
    return this.db.write(async (m) => {
      const p = await findProgramme(m, code);
      const t = await findTheme(m, p.id, themeCode);
      // The schema would detach its projects and pools (SET NULL) with no audit entry and no
      // version bump on them, so a theme in use is refused: move its projects first. On
      // PostgreSQL the theme row is locked before counting, so a project cannot join it between
      // the count and the delete (its foreign-key check waits for this transaction, then fails).
      if (m.connection.options.type === 'postgres')
        await m.query('SELECT id FROM theme WHERE id = $1 FOR UPDATE', [t.id]);
      const used: Record<string, number> = {};
      for (const table of ['project', 'project_pool']) {
        const [row] = await m
          .createQueryBuilder()
          .select('COUNT(*)', 'n')
          .from(table, 'x')
          .where('x.theme_id = :id', { id: t.id })
          .getRawMany();
        used[table] = toInt(row.n);
      }
      if (used.project || used.project_pool)
        throw new ConflictError(
          'THEME_IN_USE',
          `theme ${t.code} still has ${used.project} project(s) and ${used.project_pool} pool(s): move them to another theme (PATCH each project's theme) before deleting it`,
          { field: 'theme', projects: used.project, pools: used.project_pool },
        );
      const before = await deleteVersioned(m, Theme, 'theme', t.id, version);
      await this.audit.record(m, actor, {
        programmeId: p.id,
        entity: 'theme',
        entityId: t.id,
        action: 'delete',
        before,
      });
    });
  }
}
