import { exactSum, toBigInt, toBool } from '../database/sql-values';
import { narrowPence } from '../common/money';
import { Injectable } from '@nestjs/common';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { RuleViolationError, StaleVersionError, ValidationError } from '../common/errors';
import { Db } from '../database/db.service';
import { SourceKind } from '../funding/source-kind.entity';
import { Organisation } from '../organisations/organisation.entity';
import { findProgramme } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { assumptionValueProblem } from './assumption-values';
import { defaultsFor } from './assumptions';
import { agreedLines } from '../changes/agreed.queries';
import { build360Giving, type GrantChanges, type GrantGroup } from './giving360';
import { OpenDataAssumption } from './open-data-assumption.entity';

@Injectable()
export class OpenDataService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  /** The assumptions in use: stored rows over the built-in defaults, each said to be not from source. */
  assumptions(code: string) {
    return this.db.read(async (m) => {
      const p = await findProgramme(m, code);
      const stored = await m.find(OpenDataAssumption, { where: { programmeId: p.id }, order: { key: 'ASC' } });
      const byKey = new Map(stored.map((s) => [s.key, s]));
      const keys = [...new Set([...defaultsFor(p.code).map((d) => d.key), ...byKey.keys()])].sort();
      return keys.map((k) => {
        const s = byKey.get(k);
        const d = defaultsFor(p.code).find((x) => x.key === k);
        return {
          key: k,
          value: s?.value ?? d!.value,
          note: s?.note ?? d?.note ?? null,
          fromSource: false,
          stored: !!s,
          version: s?.version ?? 0,
        };
      });
    });
  }

  /** Sets one assumption (version 0 creates it; otherwise optimistic locking). */
  setAssumption(code: string, key: string, dto: { value: string; note?: string; version: number }, actor: Actor) {
    return this.db.write(async (m) => {
      const p = await findProgramme(m, code);
      if (!/^[A-Za-z][\w.-]{0,119}$/.test(key))
        throw new RuleViolationError('INVALID_KEY', 'must be letters, digits, dots, dashes or underscores', 'key');
      const problem = assumptionValueProblem(key, dto.value);
      if (problem) throw new ValidationError([{ field: 'value', problem: `${key} ${problem}` }]);
      const before = await m.findOne(OpenDataAssumption, { where: { programmeId: p.id, key } });
      const now = new Date().toISOString();
      if (!before) {
        if (dto.version !== 0) throw new StaleVersionError('assumption', key, dto.version, 0);
        await m.insert(OpenDataAssumption, {
          programmeId: p.id,
          key,
          value: dto.value,
          note: dto.note ?? null,
          updatedAt: now,
        });
      } else {
        const res = await m
          .createQueryBuilder()
          .update(OpenDataAssumption)
          .set({ value: dto.value, note: dto.note ?? before.note, updatedAt: now, version: () => 'version + 1' })
          .where('id = :id AND version = :v', { id: before.id, v: dto.version })
          .execute();
        if (!res.affected) throw new StaleVersionError('assumption', key, dto.version, before.version);
      }
      const after = await m.findOneOrFail(OpenDataAssumption, { where: { programmeId: p.id, key } });
      await this.audit.record(m, actor, {
        programmeId: p.id,
        entity: 'open_data_assumption',
        entityId: after.id,
        action: before ? 'update' : 'create',
        before,
        after,
      });
      return {
        key: after.key,
        value: after.value,
        note: after.note,
        fromSource: false,
        stored: true,
        version: after.version,
      };
    });
  }

  /** The 360Giving package: six queries, and four per programme for agreed vs now, whatever the number of projects. */
  package360(programmeCode?: string) {
    return this.db.read(async (m) => {
      const programmes = programmeCode
        ? [await findProgramme(m, programmeCode)]
        : await m.find(Programme, { order: { code: 'ASC' } });
      const ids = programmes.map((p) => p.id);
      if (ids.length === 0)
        return build360Giving({
          programmes: [],
          groups: [],
          projects: new Map(),
          pools: new Map(),
          orgs: new Map(),
          kinds: new Map(),
          assumptions: new Map(),
          issued: new Date().toISOString().slice(0, 10),
        });
      const orgs = await m.find(Organisation);
      const orgById = new Map(orgs.map((o) => [o.id, o]));
      const rows: Record<string, unknown>[] = await m
        .createQueryBuilder()
        .from('allocation', 'a')
        .innerJoin('programme', 'pr', 'pr.id = a.programme_id')
        .leftJoin('project', 'p', 'p.id = a.project_id')
        .leftJoin('project_pool', 'pl', 'pl.id = a.pool_id')
        .select([
          'pr.code AS programme',
          'p.code AS project_code',
          'pl.code AS pool_code',
          'a.source_kind AS source_kind',
          'a.commitment_status AS commitment_status',
          'a.source_illustrative AS illustrative',
          `${exactSum('a.amount_pence')} AS pence`,
        ])
        .where('a.programme_id IN (:...ids)', { ids })
        .andWhere("a.approval_state = 'approved'")
        .groupBy('pr.code')
        .addGroupBy('p.code')
        .addGroupBy('pl.code')
        .addGroupBy('a.source_kind')
        .addGroupBy('a.commitment_status')
        .addGroupBy('a.source_illustrative')
        .getRawMany();
      const groups: GrantGroup[] = rows.map((r) => ({
        programme: String(r.programme),
        projectCode: (r.project_code as string) ?? null,
        poolCode: (r.pool_code as string) ?? null,
        sourceKind: String(r.source_kind),
        commitmentStatus: String(r.commitment_status),
        pence: narrowPence(toBigInt(r.pence)),
        illustrative: toBool(r.illustrative),
      }));
      const projectRows: Record<string, unknown>[] = await m
        .createQueryBuilder()
        .from('project', 'p')
        .innerJoin('programme', 'pr', 'pr.id = p.programme_id')
        .select([
          'pr.code AS programme',
          'p.code AS code',
          'p.name AS name',
          'p.description AS description',
          'p.lead_organisation_id AS lead',
        ])
        .where('p.programme_id IN (:...ids)', { ids })
        .getRawMany();
      const poolRows: Record<string, unknown>[] = await m
        .createQueryBuilder()
        .from('project_pool', 'pl')
        .innerJoin('programme', 'pr', 'pr.id = pl.programme_id')
        .leftJoin('project_pool_member', 'pm', 'pm.pool_id = pl.id')
        .leftJoin('project', 'p', 'p.id = pm.project_id')
        .select([
          'pr.code AS programme',
          'pl.code AS code',
          'pl.name AS name',
          'pl.description AS description',
          'p.code AS member',
        ])
        .where('pl.programme_id IN (:...ids)', { ids })
        .orderBy('p.code', 'ASC')
        .getRawMany();
      const stored = await m
        .createQueryBuilder(OpenDataAssumption, 'x')
        .where('x.programme_id IN (:...ids)', { ids })
        .getMany();
      const kinds = await m.find(SourceKind);
      const pools = new Map<string, { name: string; description: string | null; members: string[] }>();
      for (const r of poolRows) {
        const k = `${r.programme}|${r.code}`;
        const pool = pools.get(k) ?? {
          name: String(r.name),
          description: (r.description as string) ?? null,
          members: [],
        };
        if (r.member) pool.members.push(String(r.member));
        pools.set(k, pool);
      }
      const assumptions = new Map(
        programmes.map((p) => {
          const a = new Map(defaultsFor(p.code).map((d) => [d.key, d.value]));
          for (const s of stored.filter((x) => x.programmeId === p.id)) a.set(s.key, s.value);
          return [p.code, a];
        }),
      );
      // The deal as agreed beside now, per programme (four queries each, never per project).
      const changes = new Map<string, GrantChanges>();
      for (const p of programmes)
        for (const l of await agreedLines(m, p.id))
          changes.set([p.code, l.projectCode ?? '', l.poolCode ?? '', l.sourceKind].join('|'), {
            agreedPence: l.agreedPence,
            changed: l.changed,
            illustrative: l.illustrative,
            changeRequests: l.changes,
          });
      return build360Giving({
        changes,
        programmes: programmes.map((p) => ({
          code: p.code,
          name: p.name,
          description: p.description,
          startsOn: p.startsOn,
          endsOn: p.endsOn,
          lepOrgCode: p.lepOrganisationId ? (orgById.get(p.lepOrganisationId)?.code ?? null) : null,
        })),
        groups,
        projects: new Map(
          projectRows.map((r) => [
            `${r.programme}|${r.code}`,
            {
              name: String(r.name),
              description: (r.description as string) ?? null,
              leadOrgCode: r.lead ? (orgById.get(Number(r.lead))?.code ?? null) : null,
            },
          ]),
        ),
        pools,
        orgs: new Map(
          orgs.map((o) => [o.code, { name: o.name, identifier: o.identifier, identifierAssumed: o.identifierAssumed }]),
        ),
        kinds: new Map(kinds.map((k) => [k.code, { label: k.label, description: k.description, isMatch: k.isMatch }])),
        assumptions,
        issued: new Date().toISOString().slice(0, 10),
      });
    });
  }
}
