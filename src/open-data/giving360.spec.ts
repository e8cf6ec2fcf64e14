import { build360Giving, poundsNumber, type Giving360Input } from './giving360';

const input = (groups: Giving360Input['groups']): Giving360Input => ({
  programmes: [
    { code: 'P', name: 'Deal', description: null, startsOn: '2015-04-01', endsOn: '2021-03-31', lepOrgCode: 'LEP' },
  ],
  groups,
  projects: new Map([['P|A', { name: 'Alpha', description: 'Alpha road', leadOrgCode: null }]]),
  pools: new Map([['P|POOL', { name: 'Shared', description: null, members: ['A', 'B'] }]]),
  orgs: new Map([
    ['LEP', { name: 'The LEP', identifier: null, identifierAssumed: false }],
    ['CC', { name: 'County', identifier: 'GB-LAE-X', identifierAssumed: false }],
  ]),
  kinds: new Map([
    ['LGF', { label: 'Local Growth Fund award', description: null, isMatch: false }],
    ['PRIVATE_MATCH', { label: 'Private match', description: null, isMatch: true }],
  ]),
  assumptions: new Map([
    [
      'P',
      new Map([
        ['recipient.project.A', 'CC'],
        ['grantIdPrefix', '360G-T'],
      ]),
    ],
  ]),
  issued: '2026-01-01',
});
const g = (p: Partial<Giving360Input['groups'][number]>) => ({
  programme: 'P',
  projectCode: 'A',
  poolCode: null,
  sourceKind: 'LGF',
  commitmentStatus: 'confirmed',
  pence: 100,
  illustrative: false,
  ...p,
});

describe('360Giving builder', () => {
  it('turns exact pence into pounds numbers without float noise', () => {
    expect(poundsNumber(240_000_000)).toBe(2400000);
    expect(poundsNumber(1)).toBe(0.01);
    expect(poundsNumber(1999)).toBe(19.99);
  });

  it('publishes confirmed awards only: provisional money is not yet awarded, withdrawn money not at all', () => {
    const pkg = build360Giving(
      input([
        g({ pence: 10 }),
        g({ pence: 5, commitmentStatus: 'provisional' }),
        g({ pence: 7, commitmentStatus: 'withdrawn' }),
        g({ pence: 3, commitmentStatus: 'indicative' }),
      ]),
    );
    expect(pkg.grants).toHaveLength(1);
    expect(pkg.grants[0]).toMatchObject({
      id: '360G-T-P-A-LGF',
      amountAwarded: 0.1,
      recipientOrganization: [{ id: 'GB-LAE-X', name: 'County' }],
    });
    expect((pkg.grants[0].classifications as { code: string }[]).map((c) => c.code)).toEqual(['LGF', 'confirmed']);
    expect(pkg.description).toContain('Provisional allocations are not yet awarded and are not published.');
  });

  it('leaves match funding out (pooled or not) and says so in the package', () => {
    const pkg = build360Giving(
      input([
        g({ projectCode: null, poolCode: 'POOL', sourceKind: 'PRIVATE_MATCH', pence: 480_000_000 }),
        g({ sourceKind: 'PRIVATE_MATCH', pence: 100 }),
      ]),
    );
    expect(pkg.grants).toEqual([]);
    expect(pkg.description).toContain(
      'Match funding (local partners’ and private contributions) is not awarded by the funder',
    );
  });

  it('pooled LGF is one grant to the pool’s recipient; the accountable body awards it (assumed)', () => {
    const pkg = build360Giving(input([g({ projectCode: null, poolCode: 'POOL', pence: 480_000_000 })]));
    const grant = pkg.grants[0] as Record<string, any>;
    expect(grant.id).toBe('360G-T-P-POOL-POOL-LGF');
    expect(grant.regrantType).toBeUndefined();
    expect(grant.additional_data).toMatchObject({
      matchFunding: false,
      pooled: { pool: 'POOL', projects: ['A', 'B'] },
    });
    // No recipient or accountable-body assumption: the LEP, whose identifier is itself assumed.
    expect(grant.recipientOrganization).toEqual([{ id: '360G-T-ORG-LEP', name: 'The LEP' }]);
    expect(grant.fundingOrganization).toEqual([{ id: '360G-T-ORG-LEP', name: 'The LEP' }]);
    expect(grant.additional_data.route.fundedBy).toEqual({ id: '360G-T-FUNDER-LGF', name: 'Local Growth Fund award' });
    expect(grant.additional_data.notFromSource).toEqual([
      'awardDate',
      'beneficiaryLocation.geoCode',
      'fundingOrganization',
      'fundingOrganization.id',
      'recipientOrganization',
      'recipientOrganization.id',
      'route.fundedBy',
    ]);
    expect(grant.awardDate).toBe('2015-04-01');
  });

  it('flags a changed or illustrative award with the deal as agreed and the requests that moved it', () => {
    const base = input([g({ pence: 420_000_000 })]);
    const changes = new Map([
      [
        'P|A||LGF',
        {
          agreedPence: 400_000_000,
          changed: true,
          illustrative: true,
          changeRequests: [{ number: 1, title: 'Virement', deltaPence: 20_000_000, illustrative: true }],
        },
      ],
    ]);
    const grant = build360Giving({ ...base, changes }).grants[0] as Record<string, any>;
    expect(grant.amountAwarded).toBe(4200000);
    expect(grant.additional_data).toMatchObject({
      changed: true,
      illustrative: true,
      agreedAmountPounds: '4000000.00',
      changeRequests: [{ number: 1, title: 'Virement', deltaPounds: '200000.00', illustrative: true }],
    });
    const plain = build360Giving(base).grants[0] as Record<string, any>;
    expect(plain.additional_data).toMatchObject({
      changed: false,
      illustrative: false,
      agreedAmountPounds: '4200000.00',
      changeRequests: [],
    });
  });
});
