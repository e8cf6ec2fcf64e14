import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { DuplicateError, RuleViolationError, UnknownReferenceError } from '../common/errors';
import { page } from '../common/pagination';
import { presentSource } from '../common/present-source';
import { Db } from '../database/db.service';
import { deleteVersioned, updateVersioned } from '../database/versioned';
import { Organisation } from '../organisations/organisation.entity';
import { findProgramme, findProject, refProject, refTheme } from '../programmes/programme-lookup';
import { provenanceOf } from '../common/provenance';
import { Theme } from '../programmes/theme.entity';
import { CreatePoolDto, CreateProjectDto, ProjectQuery, UpdateProjectDto } from './dto/project.dto';
import { ProjectPool } from './project-pool.entity';
import { createProject } from './project-creation';
import { Project } from './project.entity';

@Injectable()
export class ProjectsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  private async lookups(m: EntityManager, programmeId: number) {
    const themes = await m.find(Theme, { where: { programmeId } });
    const orgs = await m.find(Organisation);
    return { theme: new Map(themes.map((t) => [t.id, t.code])), org: new Map(orgs.map((o) => [o.id, o])) };
  }

  private present(p: Project, l: Awaited<ReturnType<ProjectsService['lookups']>>) {
    const lead = p.leadOrganisationId ? l.org.get(p.leadOrganisationId) : undefined;
    return {
      id: p.id,
      code: p.code,
      name: p.name,
      theme: p.themeId ? (l.theme.get(p.themeId) ?? null) : null,
      description: p.description,
      location: p.location,
      status: p.status,
      leadBody: lead ? { code: lead.code, name: lead.name } : null,
      ragOverride: p.ragOverride ? { rag: p.ragOverride, reason: p.ragOverrideReason } : null,
      source: presentSource(p.source),
      version: p.version,
    };
  }

  list(code: string, q: ProjectQuery) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const where: Record<string, unknown> = { programmeId: prog.id };
      if (q.status) where.status = q.status;
      if (q.theme) {
        const t = await m.findOne(Theme, { where: { programmeId: prog.id, code: q.theme } });
        if (!t) return page([], 0, q);
        where.themeId = t.id;
      }
      const [items, total] = await m.findAndCount(Project, {
        where,
        order: { code: 'ASC' },
        take: q.limit ?? 100,
        skip: q.offset ?? 0,
      });
      const l = await this.lookups(m, prog.id);
      return page(
        items.map((p) => this.present(p, l)),
        total,
        q,
      );
    });
  }

  get(code: string, projectCode: string) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      return this.present(await findProject(m, prog.id, projectCode), await this.lookups(m, prog.id));
    });
  }

  private async leadId(m: EntityManager, code: string | undefined) {
    if (code === undefined) return undefined;
    const o = await m.findOne(Organisation, { where: { code } });
    if (!o) throw new UnknownReferenceError('leadBody', 'organisation', code);
    return o.id;
  }

  create(code: string, dto: CreateProjectDto, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      const p = await createProject(m, prog.id, { ...dto, status: dto.status ?? 'pipeline' }, (r) =>
        this.audit.record(m, actor, r),
      );
      return this.present(p, await this.lookups(m, prog.id));
    });
  }

  update(code: string, projectCode: string, dto: UpdateProjectDto, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      const before = await findProject(m, prog.id, projectCode);
      // One door: a project's status (withdrawn, on hold, reinstated, complete) moves its money
      // and delivery, so it changes only through an approved change request, for every role.
      if (dto.status !== undefined && dto.status !== before.status)
        throw new RuleViolationError(
          'STATUS_BY_CHANGE_REQUEST',
          `a project's status changes only through an approved change request: raise withdraw_project, hold_project, reinstate_project or complete_project for ${before.code} (it is ${before.status})`,
          'status',
        );
      const { version, theme, leadBody, ...rest } = dto;
      const changes: Partial<Project> = { ...rest };
      if (theme !== undefined) changes.themeId = (await refTheme(m, prog.id, theme)).id;
      const lead = await this.leadId(m, leadBody);
      if (lead !== undefined) changes.leadOrganisationId = lead;
      const after = await updateVersioned(m, Project, 'project', before.id, version, changes);
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        projectId: before.id,
        entity: 'project',
        entityId: before.id,
        action: 'update',
        before,
        after,
      });
      return this.present(after, await this.lookups(m, prog.id));
    });
  }

  remove(code: string, projectCode: string, version: number | undefined, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      const p = await findProject(m, prog.id, projectCode);
      const before = await deleteVersioned(m, Project, 'project', p.id, version);
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        projectId: p.id,
        entity: 'project',
        entityId: p.id,
        action: 'delete',
        before,
      });
    });
  }

  /** A pool and its members, audited; money reaches it by an allocation (draft, or a change request). */
  createPool(code: string, dto: CreatePoolDto, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      if (await m.findOne(ProjectPool, { where: { programmeId: prog.id, code: dto.code } }))
        throw new DuplicateError('pool', 'code', dto.code);
      const themeId = dto.theme ? (await refTheme(m, prog.id, dto.theme)).id : null;
      const members: Project[] = [];
      for (const c of [...new Set(dto.projects)]) members.push(await refProject(m, prog.id, c, 'projects'));
      const r = await m.insert(ProjectPool, {
        programmeId: prog.id,
        themeId,
        code: dto.code,
        name: dto.name,
        description: dto.description ?? null,
        source: provenanceOf(dto.source),
      });
      const id = r.identifiers[0].id as number;
      for (const p of members)
        await m
          .createQueryBuilder()
          .insert()
          .into('project_pool_member')
          .values({ pool_id: id, project_id: p.id })
          .execute();
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        entity: 'project_pool',
        entityId: id,
        action: 'create',
        after: {
          code: dto.code,
          name: dto.name,
          theme: dto.theme ?? null,
          projects: members.map((p) => p.code).sort(),
        },
      });
      return (await this.poolsIn(m, prog.id)).find((p) => p.id === id);
    });
  }

  pools(code: string) {
    return this.db.read(async (m) => this.poolsIn(m, (await findProgramme(m, code)).id));
  }

  private async poolsIn(m: EntityManager, programmeId: number) {
    const pools = await m.find(ProjectPool, {
      where: { programmeId },
      relations: { projects: true },
      order: { code: 'ASC' },
    });
    const themes = new Map((await m.find(Theme, { where: { programmeId } })).map((t) => [t.id, t.code]));
    return pools.map((p) => ({
      id: p.id,
      code: p.code,
      name: p.name,
      theme: p.themeId ? (themes.get(p.themeId) ?? null) : null,
      description: p.description,
      projects: p.projects.map((x) => x.code).sort(),
      source: presentSource(p.source),
    }));
  }
}
