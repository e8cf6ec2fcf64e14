import { Injectable } from '@nestjs/common';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { DuplicateError, NotFoundError } from '../common/errors';
import { Page, page } from '../common/pagination';
import { Db } from '../database/db.service';
import { deleteVersioned, updateVersioned } from '../database/versioned';
import { CreateOrganisationDto, OrganisationQuery, UpdateOrganisationDto } from './dto/organisation.dto';
import { Organisation } from './organisation.entity';

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  list(q: OrganisationQuery): Promise<Page<Organisation>> {
    return this.db.read(async (m) => {
      const [items, total] = await m.findAndCount(Organisation, {
        where: q.kind ? { kind: q.kind } : {},
        order: { code: 'ASC' },
        take: q.limit ?? 100,
        skip: q.offset ?? 0,
      });
      return page(items, total, q);
    });
  }

  get(code: string): Promise<Organisation> {
    return this.db.read(async (m) => {
      const o = await m.findOne(Organisation, { where: { code } });
      if (!o) throw new NotFoundError('organisation', code);
      return o;
    });
  }

  create(dto: CreateOrganisationDto, actor: Actor): Promise<Organisation> {
    return this.db.write(async (m) => {
      if (await m.findOne(Organisation, { where: { code: dto.code } }))
        throw new DuplicateError('organisation', 'code', dto.code);
      const r = await m.insert(Organisation, { ...dto, identifier: dto.identifier ?? null, identifierAssumed: false });
      const o = await m.findOneByOrFail(Organisation, { id: r.identifiers[0].id as number });
      await this.audit.record(m, actor, { entity: 'organisation', entityId: o.id, action: 'create', after: o });
      return o;
    });
  }

  update(code: string, dto: UpdateOrganisationDto, actor: Actor): Promise<Organisation> {
    return this.db.write(async (m) => {
      const before = await m.findOne(Organisation, { where: { code } });
      if (!before) throw new NotFoundError('organisation', code);
      const { version, ...changes } = dto;
      if (changes.code && changes.code !== code && (await m.findOne(Organisation, { where: { code: changes.code } }))) {
        throw new DuplicateError('organisation', 'code', changes.code);
      }
      const after = await updateVersioned(m, Organisation, 'organisation', before.id, version, changes);
      await this.audit.record(m, actor, {
        entity: 'organisation',
        entityId: before.id,
        action: 'update',
        before,
        after,
      });
      return after;
    });
  }

  remove(code: string, version: number | undefined, actor: Actor): Promise<void> {
    return this.db.write(async (m) => {
      const o = await m.findOne(Organisation, { where: { code } });
      if (!o) throw new NotFoundError('organisation', code);
      const before = await deleteVersioned(m, Organisation, 'organisation', o.id, version);
      await this.audit.record(m, actor, { entity: 'organisation', entityId: o.id, action: 'delete', before });
    });
  }
}
