import { getMetadataStorage } from 'class-validator';
import { AuditEntry } from '../src/audit/audit-entry.entity';
import { UpdateChangeRequestDto } from '../src/changes/dto/change-request.dto';
import { UpdateAllocationDto } from '../src/funding/dto/allocation.dto';
import { UpdateHeadlineDto } from '../src/headlines/dto/headline.dto';
import { UpdateMilestoneDto } from '../src/milestones/dto/milestone.dto';
import { UpdateOrganisationDto } from '../src/organisations/dto/organisation.dto';
import { SetOutputPlanDto, UpdateOutputActualDto } from '../src/outputs/dto/output.dto';
import { SetForecastDto } from '../src/spend/dto/spend.dto';
import { UpdateProgrammeDto, UpdateThemeDto } from '../src/programmes/dto/programme.dto';
import { UpdateProjectDto } from '../src/projects/dto/project.dto';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

const P = '/api/programmes/SSLEP-GD-2014';

/** The fields a DTO lets a write change: its validated properties, less the optimistic lock. */
function writableFields(dto: new () => object, except: string[] = []): string[] {
  const props = getMetadataStorage()
    .getTargetValidationMetadatas(dto, '', true, false)
    .map((m) => m.propertyName);
  return [...new Set(props)].filter((p) => p !== 'version' && !except.includes(p)).sort();
}

/**
 * One write route, edited one writable field at a time. `audit` reads a field from the entry's
 * before or after: the same name, or the stored form of it (pence, an id, a period's two years).
 */
interface WriteRoute {
  name: string;
  dto: new () => object;
  /** Fields this route refuses on purpose (one door elsewhere), with the door in a comment. */
  except?: string[];
  /** The URL of the thing now (a code edit moves it). */
  url: () => string;
  entity: string;
  entityId: () => Promise<string>;
  /** A new value per field, different from the current one. */
  values: Record<string, unknown>;
  audit?: Record<string, (snap: Record<string, unknown>) => unknown>;
  afterWrite?: (field: string, value: unknown, body: { version: number }) => void;
  /** The version to send, where the route has no GET of its own. */
  version?: () => number;
  /** PUT routes name their row in the body (`base`: the key fields, sent every time). */
  method?: 'PUT';
  base?: Record<string, unknown>;
  action?: string;
}

const ids = new Map<string, number>();

const pence = (k: string) => (s: Record<string, unknown>) => (s[k] === undefined ? undefined : Number(s[k]));

describe.each(databaseKinds())('the audit trail holds every field a write changes on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('a milestone edit: each writable field shows its value before and after (notes included)', async () => {
    // baselineDate is writable only by an approved change request (refused here, audited there).
    const fields = writableFields(UpdateMilestoneDto, ['baselineDate']);
    expect(fields).toEqual(['actualDate', 'forecastDate', 'notes', 'status', 'title']);
    const list = (await t.request('GET', `${P}/milestones`)).body;
    const ms = (Array.isArray(list) ? list : list.items)[0] as { id: number };
    expect(ms).toBeDefined();
    const values: Record<string, unknown> = {
      title: 'Start on site (audited)',
      forecastDate: '2016-03-31',
      notes: 'Contractor appointed (audit test)',
      status: 'cancelled',
      actualDate: '2015-05-29',
    };
    for (const field of fields) {
      const cur = (await t.request('GET', `${P}/milestones/${ms.id}`)).body;
      const body: Record<string, unknown> = { version: cur.version, [field]: values[field] };
      if (field === 'actualDate') body.status = 'complete';
      const res = await t.request('PATCH', `${P}/milestones/${ms.id}`, body);
      expect([field, res.status]).toEqual([field, 200]);
      const [entry] = await t.ds.getRepository(AuditEntry).find({
        where: { entity: 'milestone', entityId: String(ms.id), action: 'update' },
        order: { id: 'DESC' },
        take: 1,
      });
      const before = entry.before as Record<string, unknown>;
      const after = entry.after as Record<string, unknown>;
      expect([field, field in before, field in after]).toEqual([field, true, true]);
      expect([field, after[field]]).toEqual([field, values[field]]);
      expect([field, before[field]]).not.toEqual([field, values[field]]);
    }
  });

  /** Edits each writable field of a route in turn; the audit entry holds its old and new value. */
  async function everyField(r: WriteRoute, expected: string[]) {
    const fields = writableFields(r.dto, r.except);
    expect([r.name, fields]).toEqual([r.name, expected]);
    for (const field of fields) {
      let version = r.version?.();
      if (version === undefined) {
        const cur = await t.request('GET', r.url());
        expect([r.name, 'GET', cur.status]).toEqual([r.name, 'GET', 200]);
        version = cur.body.version as number;
      }
      const value = r.values[field];
      const res = await t.request(r.method ?? 'PATCH', r.url(), { ...r.base, version, [field]: value });
      expect([r.name, field, res.status, res.body.message]).toEqual([r.name, field, 200, undefined]);
      r.afterWrite?.(field, value, res.body);
      const [entry] = await t.ds.getRepository(AuditEntry).find({
        where: { entity: r.entity, entityId: await r.entityId(), action: r.action ?? 'update' },
        order: { id: 'DESC' },
        take: 1,
      });
      const read = r.audit?.[field] ?? ((x: Record<string, unknown>) => x[field]);
      const before = read(entry.before as Record<string, unknown>);
      const after = read(entry.after as Record<string, unknown>);
      expect([r.name, field, before === undefined, after === undefined]).toEqual([r.name, field, false, false]);
      expect([r.name, field, after]).not.toEqual([r.name, field, before]);
      // Where the audit keeps the API's own form, it holds exactly what was written.
      if (!r.audit?.[field]) expect([r.name, field, after]).toEqual([r.name, field, value]);
    }
  }

  it('a draft allocation and an output actual: every writable field before and after', async () => {
    const draft = await t.request('POST', `${P}/allocations`, {
      sourceKind: 'LGF',
      project: 'SWAR',
      period: '2016-17',
      amount: '100.00',
      commitmentStatus: 'indicative',
    });
    expect(draft.status).toBe(201);
    ids.set('allocation', draft.body.id);
    await everyField(
      {
        name: 'allocation',
        dto: UpdateAllocationDto,
        url: () => `${P}/allocations/${ids.get('allocation')}`,
        entity: 'allocation',
        entityId: async () => String(ids.get('allocation')),
        values: { amount: '250.50', period: '2017-18', commitmentStatus: 'provisional', description: 'Audited' },
        audit: {
          amount: pence('amountPence'),
          period: (x) => (x.periodKind === undefined ? undefined : [x.periodKind, x.yearFrom, x.yearTo]),
        },
      },
      ['amount', 'commitmentStatus', 'description', 'period'],
    );
    const actual = await t.request('POST', `${P}/projects/SWAR/outputs/JOBS_CREATED/actuals`, {
      quarter: '2015-16 Q1',
      value: 3,
      claimKey: 'AUDIT-FIELDS',
    });
    expect([actual.status, actual.body.message]).toEqual([201, undefined]);
    ids.set('actual', actual.body.id);
    ids.set('actual-version', actual.body.version);
    await everyField(
      {
        name: 'output actual',
        dto: UpdateOutputActualDto,
        url: () => `${P}/output-actuals/${ids.get('actual')}`,
        entity: 'output_actual',
        entityId: async () => String(ids.get('actual')),
        values: { value: 5, evidence: 'Payroll extract (audited)' },
        version: () => ids.get('actual-version')!,
        afterWrite: (_f, _v, body) => ids.set('actual-version', body.version),
      },
      ['evidence', 'value'],
    );
  });

  it("PUT routes: a spend line's forecast and an output's forecast, before and after", async () => {
    // A future quarter's line (created by the first forecast), then edited field by field.
    const created = await t.request('PUT', `${P}/projects/SWAR/spend/forecast`, {
      sourceKind: 'LGF',
      quarter: '2020-21 Q4',
      forecast: '1.00',
    });
    expect([created.status, created.body.message]).toEqual([200, undefined]);
    const line = created.body as { id: number; quarter: string; version: number };
    ids.set('line-version', line.version);
    await everyField(
      {
        name: 'spend forecast',
        dto: SetForecastDto,
        // The source kind and quarter name the line; they are not changed by the write.
        except: ['sourceKind', 'quarter'],
        method: 'PUT',
        base: { sourceKind: 'LGF', quarter: line.quarter },
        url: () => `${P}/projects/SWAR/spend/forecast`,
        entity: 'spend_profile',
        entityId: async () => String(line.id),
        action: 'set_forecast',
        values: { forecast: '1234.56' },
        version: () => ids.get('line-version')!,
        afterWrite: (_f, _v, body) => ids.set('line-version', body.version),
      },
      ['forecast'],
    );
    const plan = await t.request('PUT', `${P}/projects/SWAR/outputs/JOBS_CREATED`, { target: 40 });
    expect([plan.status, plan.body.message]).toEqual([200, undefined]);
    ids.set('plan-version', plan.body.version);
    await everyField(
      {
        name: 'output plan',
        dto: SetOutputPlanDto,
        // The target is set once; later only by an approved rebaseline_target change request.
        except: ['target'],
        method: 'PUT',
        url: () => `${P}/projects/SWAR/outputs/JOBS_CREATED`,
        entity: 'output_target',
        entityId: async () => String(plan.body.id),
        values: { forecast: 37 },
        version: () => ids.get('plan-version')!,
        afterWrite: (_f, _v, body) => ids.set('plan-version', body.version),
      },
      ['forecast'],
    );
  });

  it('a draft change request: every writable field before and after (its payload included)', async () => {
    const lgf = (await t.request('GET', `${P}/allocations?sourceKind=LGF&approvalState=approved`)).body.items as {
      id: number;
    }[];
    const line = (pounds: string) => ({
      lines: [
        { allocationId: lgf[0].id, delta: `-${pounds}` },
        { allocationId: lgf[1].id, delta: pounds },
      ],
    });
    const draft = await t.request('POST', `${P}/change-requests`, {
      kind: 'reallocation',
      title: 'Move £1.00 of LGF',
      reason: 'The audit fields test',
      payload: line('1.00'),
    });
    expect([draft.status, draft.body.message]).toEqual([201, undefined]);
    const n = draft.body.number as number;
    await everyField(
      {
        name: 'change request',
        dto: UpdateChangeRequestDto,
        url: () => `${P}/change-requests/${n}`,
        entity: 'change_request',
        entityId: async () => String(n),
        values: {
          title: 'Move £2.00 of LGF (audited)',
          reason: 'Audited reason',
          evidence: 'Board paper 7 (audited)',
          payload: line('2.00'),
        },
      },
      ['evidence', 'payload', 'reason', 'title'],
    );
  });

  // Last: it moves the programme's dates and first quarter.
  it('a theme, an organisation, the programme, a project and a headline: every writable field before and after', async () => {
    await everyField(
      {
        name: 'theme',
        dto: UpdateThemeDto,
        url: () => `${P}/themes/SKILLS`,
        entity: 'theme',
        entityId: async () => String((await t.request('GET', `${P}/themes/SKILLS`)).body.id),
        values: { name: 'Skills (audited)', description: 'Audited description', position: 7 },
      },
      ['description', 'name', 'position'],
    );
    let org = 'CANNOCK-DC';
    const orgId = (await t.request('GET', `/api/organisations/${org}`)).body.id;
    await everyField(
      {
        name: 'organisation',
        dto: UpdateOrganisationDto,
        url: () => `/api/organisations/${org}`,
        entity: 'organisation',
        entityId: async () => String(orgId),
        values: {
          code: 'CANNOCK-DC-2',
          name: 'Cannock Chase (audited)',
          kind: 'private',
          identifier: 'GB-COH-00000001',
        },
        afterWrite: (f, v) => {
          if (f === 'code') org = v as string;
        },
      },
      ['code', 'identifier', 'kind', 'name'],
    );
    await everyField(
      {
        name: 'programme',
        dto: UpdateProgrammeDto,
        // RAG thresholds have one door, PUT .../rag/thresholds (audited there).
        except: ['ragThresholds'],
        url: () => P,
        entity: 'programme',
        entityId: async () => String((await t.request('GET', P)).body.id),
        values: {
          name: 'Growth Deal (audited)',
          description: 'Audited',
          lep: 'STAFFS-CC',
          startsOn: '2015-03-01',
          endsOn: '2022-03-31',
          firstQuarter: '2014-15 Q4',
          monitoringEndsOn: '2027-03-31',
          asOfDate: '2017-04-30',
          returnDueMonths: 3,
        },
        audit: { lep: (x) => x.lepOrganisationId ?? x.lep },
      },
      [
        'asOfDate',
        'description',
        'endsOn',
        'firstQuarter',
        'lep',
        'monitoringEndsOn',
        'name',
        'returnDueMonths',
        'startsOn',
      ],
    );
    const swarId = async () => String((await t.request('GET', `${P}/projects/SWAR`)).body.id);
    await everyField(
      {
        name: 'project',
        dto: UpdateProjectDto,
        // A project's status changes only through a change request (refused here, for every role).
        except: ['status'],
        url: () => `${P}/projects/SWAR`,
        entity: 'project',
        entityId: swarId,
        values: {
          name: 'SWAR (audited)',
          description: 'Audited',
          location: 'Stafford (audited)',
          theme: 'SKILLS',
          leadBody: 'STAFFS-CC',
        },
        audit: { theme: (x) => x.themeId, leadBody: (x) => x.leadOrganisationId },
      },
      ['description', 'leadBody', 'location', 'name', 'theme'],
    );
    await everyField(
      {
        name: 'headline',
        dto: UpdateHeadlineDto,
        url: () => `${P}/headlines/A-SUMMARY-JOBS`,
        entity: 'headline_figure',
        entityId: async () => String((await t.request('GET', `${P}/headlines/A-SUMMARY-JOBS`)).body.id),
        values: { label: 'Jobs (audited)', notes: 'Audited note', rule: { sumOf: ['A-SUMMARY-INVESTMENT'] } },
      },
      ['label', 'notes', 'rule'],
    );
  });
});
