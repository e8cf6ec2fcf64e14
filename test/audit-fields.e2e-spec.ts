import { getMetadataStorage } from 'class-validator';
import { AuditEntry } from '../src/audit/audit-entry.entity';
import { UpdateMilestoneDto } from '../src/milestones/dto/milestone.dto';
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
});
