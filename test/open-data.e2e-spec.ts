import Decimal from 'decimal.js';
import { validate360Giving } from '../src/open-data/validate';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';
import { APPROVED_BY_SOURCE_2014 } from './support/deal-2014';

const P = '/api/programmes/SSLEP-GD-2014';
/** JSON number of pounds back to exact pence (numbers with at most two places print exactly). */
const pence = (n: number) => new Decimal(String(n)).times(100).toNumber();
const pounds = (p: number) => new Decimal(p).dividedBy(100).toFixed(2);

describe.each(databaseKinds())('360Giving open data on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('validates against the shipped 360Giving 1.4.3 schemas', async () => {
    const res = await t.request('GET', '/api/open-data/360giving.json');
    expect(res.status).toBe(200);
    const v = validate360Giving(res.body);
    expect(v.errors).toEqual([]);
    expect(v.valid).toBe(true);
    // A grant without an amount is refused: the validator is not a rubber stamp.
    const broken = structuredClone(res.body);
    delete broken.grants[0].amountAwarded;
    expect(validate360Giving(broken).valid).toBe(false);
  });

  it('publishes confirmed awards made through the programme only: 8 grants, £51,000,000.00', async () => {
    const { body } = await t.request('GET', '/api/open-data/360giving.json');
    // Confirmed LGF to six projects and previously committed LGF to two. Left out: match funding
    // (local £8.5m, pooled private £10.6m), provisional LGF (£27.1m) and the provisional
    // growth hub revenue grant (£250,000).
    expect(body.grants.map((g: any) => [g.id.replace('360G-SSLEP-SSLEP-GD-2014-', ''), g.amountAwarded])).toEqual([
      ['AMSH-LGF', 6900000],
      ['BERICOTE-LGF', 1000000],
      ['ETRURIA-LGF', 2400000],
      ['ETRURIA-LGF_PRECOMMITTED', 8200000],
      ['LICHFIELD-LGF', 4000000],
      ['MEAFORD-LGF', 4200000],
      ['SWAR-LGF', 16100000],
      ['SWAR-LGF_PRECOMMITTED', 8200000],
    ]);
    const total = body.grants.reduce((s: Decimal, g: any) => s.plus(g.additional_data.amountPounds), new Decimal(0));
    expect(total.toFixed(2)).toBe('51000000.00');
    expect(body.grants.filter((g: any) => g.additional_data.matchFunding || g.additional_data.pooled)).toEqual([]);
    expect(body.description).toContain(
      'Match funding (local partners’ and private contributions) is not awarded by the funder and is not published as grants.',
    );
    expect(body.description).toContain('Provisional allocations are not yet awarded and are not published.');
    const g = body.grants.find((x: any) => x.id === '360G-SSLEP-SSLEP-GD-2014-LICHFIELD-LGF');
    expect(g).toMatchObject({
      currency: 'GBP',
      awardDate: '2014-07-07',
      recipientOrganization: [{ id: 'GB-LAE-LIC', name: 'Lichfield District Council' }],
      // LGF reaches the promoter through the accountable body (an assumption, not from source).
      fundingOrganization: [{ id: 'GB-LAE-STS', name: 'Staffordshire County Council' }],
    });
    expect(g.regrantType).toBeUndefined();
    expect(g.additional_data).toMatchObject({
      sourceKind: 'LGF',
      amountPounds: '4000000.00',
      commitmentStatus: 'confirmed',
      matchFunding: false,
      changed: false,
      illustrative: false,
      agreedAmountPounds: '4000000.00',
      changeRequests: [],
      route: {
        fundedBy: { id: 'GB-GOR-D4', name: 'Department for Communities and Local Government (Local Growth Fund)' },
        words:
          'Department for Communities and Local Government (Local Growth Fund) pays the accountable body (Staffordshire County Council), which awards the grant to Lichfield District Council.',
      },
    });
    expect(g.beneficiaryLocation).toEqual([
      {
        name: 'Stoke-on-Trent and Staffordshire Local Enterprise Partnership area',
        geoCode: 'E37000032',
        geoCodeType: 'LEP',
        countryCode: 'GB',
      },
    ]);
    expect(g.additional_data.notFromSource).toEqual([
      'awardDate',
      'beneficiaryLocation.geoCode',
      'fundingOrganization',
      'fundingOrganization.id',
      'recipientOrganization',
      'recipientOrganization.id',
      'route.fundedBy',
    ]);
    const precommitted = body.grants.find((x: any) => x.id === '360G-SSLEP-SSLEP-GD-2014-SWAR-LGF_PRECOMMITTED');
    expect(precommitted.additional_data.route.fundedBy).toEqual({ id: 'GB-GOR-D9', name: 'Department for Transport' });
  });

  it('totals equal the approved confirmed non-match money of the overview, per source', async () => {
    const { body } = await t.request('GET', '/api/open-data/360giving.json');
    const bySource: Record<string, number> = {};
    for (const g of body.grants)
      bySource[g.additional_data.sourceKind] = (bySource[g.additional_data.sourceKind] ?? 0) + pence(g.amountAwarded);
    expect(Object.fromEntries(Object.entries(bySource).map(([k, v]) => [k, pounds(v)]))).toEqual({
      LGF: APPROVED_BY_SOURCE_2014.LGF,
      LGF_PRECOMMITTED: APPROVED_BY_SOURCE_2014.LGF_PRECOMMITTED,
    });
  });

  it('leaves draft allocations out', async () => {
    const draft = await t.request('POST', `${P}/allocations`, {
      sourceKind: 'LGF',
      project: 'ETRURIA',
      period: 'unprofiled',
      amount: '123.45',
      commitmentStatus: 'confirmed',
    });
    expect(draft.status).toBe(201);
    const { body } = await t.request('GET', '/api/open-data/360giving.json');
    expect(body.grants.find((g: any) => g.id === '360G-SSLEP-SSLEP-GD-2014-ETRURIA-LGF').amountAwarded).toBe(2400000);
    await t.request('DELETE', `${P}/allocations/${draft.body.id}`);
  });

  it('assumptions are listed as not from source and editable with version checks', async () => {
    const list = await t.request('GET', `${P}/open-data/assumptions`);
    expect(list.status).toBe(200);
    const geo = list.body.find((a: { key: string }) => a.key === 'beneficiary.geoCode');
    expect(geo).toMatchObject({ value: 'E37000032', fromSource: false, stored: true, version: 1 });
    const stale = await t.request('PUT', `${P}/open-data/assumptions/beneficiary.geoCode`, {
      value: 'E37000099',
      version: 7,
    });
    expect(stale.status).toBe(409);
    const ok = await t.request('PUT', `${P}/open-data/assumptions/beneficiary.geoCode`, {
      value: 'E37000099',
      version: 1,
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ value: 'E37000099', version: 2 });
    const { body } = await t.request('GET', '/api/open-data/360giving.json?programme=SSLEP-GD-2014');
    expect(new Set(body.grants.map((g: any) => g.beneficiaryLocation[0].geoCode))).toEqual(new Set(['E37000099']));
    const bad = await t.request('PUT', `${P}/open-data/assumptions/beneficiary.geoCode`, { value: '', version: 2 });
    expect(bad.status).toBe(400);
  });

  it('an assumption of the wrong kind is refused, naming the field, and nothing is published', async () => {
    const before = await t.request('GET', '/api/open-data/360giving.json?programme=SSLEP-GD-2014');
    const version = (await t.request('GET', `${P}/open-data/assumptions`)).body.find(
      (a: { key: string }) => a.key === 'awardDate',
    ).version;
    for (const [key, value] of [
      ['awardDate', 'NaN'],
      ['awardDate', '2014-02-30'],
      ['awardDate', '   '],
      ['grantIdPrefix', 'not a prefix'],
      ['funder.LGF.id', 'GB GOR D4'],
    ]) {
      const res = await t.request('PUT', `${P}/open-data/assumptions/${key}`, { value, version: 1 });
      expect([key, value, res.status, res.body.code]).toEqual([key, value, 400, 'VALIDATION_FAILED']);
      expect(res.body.details.problems[0].field).toBe('value');
      expect(res.body.message).toContain(key);
    }
    const after = await t.request('GET', '/api/open-data/360giving.json?programme=SSLEP-GD-2014');
    expect(after.body.grants.map((g: any) => g.awardDate)).toEqual(before.body.grants.map((g: any) => g.awardDate));
    expect(new Set(after.body.grants.map((g: any) => g.awardDate))).toEqual(new Set(['2014-07-07']));
    const ok = await t.request('PUT', `${P}/open-data/assumptions/awardDate`, { value: '2014-07-08', version });
    expect([ok.status, ok.body.value]).toEqual([200, '2014-07-08']);
  });
});
