import Decimal from 'decimal.js';
import { validate360Giving } from '../src/open-data/validate';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';
import { APPROVED_BY_SOURCE_2014, ALL_SOURCES_2014 } from './support/deal-2014';

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

  it('has one grant per project × source, pooled match as one grant each, and the growth hub grant', async () => {
    const { body } = await t.request('GET', '/api/open-data/360giving.json');
    // 16 project-level allocations in 16 distinct project × source pairs, 2 pools, 1 programme-level grant.
    expect(body.grants).toHaveLength(19);
    const etruria = Object.fromEntries(
      body.grants
        .filter((g: any) => g.id.includes('-ETRURIA-'))
        .map((g: any) => [g.additional_data.sourceKind, g.amountAwarded]),
    );
    expect(etruria).toEqual({
      LGF: 2400000,
      LGF_PRECOMMITTED: 8200000,
      LGF_PROVISIONAL: 16100000,
      LOCAL_MATCH: 2500000,
    });
    const pooled = body.grants.filter((g: any) => g.additional_data.pooled);
    expect(
      pooled.map((g: any) => [g.additional_data.pooled.pool, g.amountAwarded, g.recipientOrganization[0].name]),
    ).toEqual([
      ['CONNECTIVITY-PRIVATE', 5800000, 'Staffordshire County Council'],
      ['SITES-PRIVATE', 4800000, 'Staffordshire County Council'],
    ]);
    expect(pooled[1].additional_data.pooled.projects).toEqual(['BERICOTE', 'LICHFIELD', 'MEAFORD']);
    const g = body.grants.find((x: any) => x.id === '360G-SSLEP-SSLEP-GD-2014-ETRURIA-LOCAL_MATCH');
    expect(g).toMatchObject({
      currency: 'GBP',
      awardDate: '2014-07-07',
      regrantType: 'FRG030',
      recipientOrganization: [{ id: 'GB-LAE-STE', name: 'Stoke-on-Trent City Council' }],
    });
    expect(g.beneficiaryLocation).toEqual([
      {
        name: 'Stoke-on-Trent and Staffordshire Local Enterprise Partnership area',
        geoCode: 'E37000032',
        geoCodeType: 'LEP',
        countryCode: 'GB',
      },
    ]);
    expect(g.classifications).toContainEqual({
      vocabulary: 'growth-deal:funding-role',
      code: 'MATCH',
      title: 'Match funding',
    });
    expect(g.additional_data.notFromSource).toEqual([
      'awardDate',
      'beneficiaryLocation.geoCode',
      'fundingOrganization',
      'recipientOrganization',
      'recipientOrganization.id',
    ]);
    const lgf = body.grants.find((x: any) => x.id === '360G-SSLEP-SSLEP-GD-2014-ETRURIA-LGF');
    expect(lgf.additional_data.matchFunding).toBe(false);
    expect(lgf.regrantType).toBeUndefined();
  });

  it('totals equal the reconciliation breakdown to the penny, per source and overall', async () => {
    const { body } = await t.request('GET', '/api/open-data/360giving.json');
    const overview = (await t.request('GET', `${P}/overview`)).body;
    const bySource: Record<string, number> = {};
    for (const g of body.grants)
      bySource[g.additional_data.sourceKind] = (bySource[g.additional_data.sourceKind] ?? 0) + pence(g.amountAwarded);
    const expected = Object.fromEntries(
      overview.bySource.map((s: { code: string; amount: string }) => [s.code, s.amount]),
    );
    expect(Object.fromEntries(Object.entries(bySource).map(([k, v]) => [k, pounds(v)]))).toEqual(expected);
    expect(expected).toEqual(APPROVED_BY_SOURCE_2014);
    const total = Object.values(bySource).reduce((s, v) => s + v, 0);
    expect(pounds(total)).toBe(ALL_SOURCES_2014);
    expect(new Decimal(overview.capital).plus(overview.revenue).toFixed(2)).toBe(pounds(total));
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
