import { Injectable } from '@nestjs/common';
import { page, PageQuery } from '../common/pagination';
import { Db } from '../database/db.service';
import { codeMaps, findProgramme, findProject } from '../programmes/programme-lookup';
import { AuditService } from './audit.service';

/** Reads of the audit trail per programme and per project, with project codes. */
@Injectable()
export class AuditTrailService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  async list(code: string, projectCode: string | undefined, q: PageQuery) {
    const { prog, projectId, codes } = await this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const projectId = projectCode ? (await findProject(m, prog.id, projectCode)).id : undefined;
      return { prog, projectId, codes: (await codeMaps(m, prog.id)).project };
    });
    const res = await this.audit.list({
      programmeId: projectId === undefined ? prog.id : undefined,
      projectId,
      limit: q.limit,
      offset: q.offset,
    });
    return page(
      res.items.map((a) => ({
        id: a.id,
        at: a.at,
        actor: a.actor,
        project: a.projectId ? (codes.get(a.projectId) ?? null) : null,
        entity: a.entity,
        entityId: a.entityId,
        action: a.action,
        before: a.before,
        after: a.after,
        meta: a.meta,
      })),
      res.total,
      q,
    );
  }
}
