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

  it('sums statuses into one grant per project × source and leaves withdrawn money out', () => {
    const pkg = build360Giving(
      input([
        g({ pence: 10 }),
        g({ pence: 5, commitmentStatus: 'provisional' }),
        g({ pence: 7, commitmentStatus: 'withdrawn' }),
      ]),
    );
    expect(pkg.grants).toHaveLength(1);
    expect(pkg.grants[0]).toMatchObject({
      id: '360G-T-P-A-LGF',
      amountAwarded: 0.15,
      recipientOrganization: [{ id: 'GB-LAE-X', name: 'County' }],
    });
    expect((pkg.grants[0].classifications as { code: string }[]).map((c) => c.code)).toEqual([
      'LGF',
      'confirmed',
      'provisional',
    ]);
  });

  it('makes pooled match one grant to the pool’s recipient, flagged as match and pooled', () => {
    const pkg = build360Giving(
      input([g({ projectCode: null, poolCode: 'POOL', sourceKind: 'PRIVATE_MATCH', pence: 480_000_000 })]),
    );
    const grant = pkg.grants[0] as Record<string, any>;
    expect(grant.id).toBe('360G-T-P-POOL-POOL-PRIVATE_MATCH');
    expect(grant.regrantType).toBe('FRG030');
    expect(grant.additional_data).toMatchObject({ matchFunding: true, pooled: { pool: 'POOL', projects: ['A', 'B'] } });
    // No recipient assumption for the pool: the LEP, whose identifier is itself assumed.
    expect(grant.recipientOrganization).toEqual([{ id: '360G-T-ORG-LEP', name: 'The LEP' }]);
    expect(grant.additional_data.notFromSource).toEqual(
      expect.arrayContaining(['recipientOrganization', 'recipientOrganization.id', 'awardDate']),
    );
    expect(grant.awardDate).toBe('2015-04-01');
  });
});
