import { fieldChanges, inWords } from './audit-words';

describe('audit in words', () => {
  it('shows pence and pound strings as pounds, names as labels, and hides internals', () => {
    expect(
      fieldChanges(
        {
          id: 4,
          version: 1,
          amountPence: 240000000,
          forecast: '1000.00',
          forecastDate: '2017-06-01',
          secretSha256: 'x',
        },
        {
          id: 4,
          version: 2,
          amountPence: 250000050,
          forecast: '2000.00',
          forecastDate: '2017-07-01',
          secretSha256: 'y',
        },
      ),
    ).toEqual([
      { field: 'Amount', before: '£2,400,000.00', after: '£2,500,000.50' },
      { field: 'Forecast', before: '£1,000.00', after: '£2,000.00' },
      { field: 'Forecast date', before: '1 June 2017', after: '1 July 2017' },
    ]);
  });

  it('writes a sentence naming the thing, the quarter and the project', () => {
    const w = inWords(
      {
        id: 9,
        at: '2026-01-02T10:00:00.000Z',
        actor: 'Ada Finance <ada@example.org>',
        projectId: 3,
        entity: 'spend_profile',
        entityId: '12',
        action: 'update',
        before: { quarter: '2015-16 Q1', sourceKind: 'LGF', actual: null },
        after: { quarter: '2015-16 Q1', sourceKind: 'LGF', actual: '125000.00' },
        meta: null,
      },
      new Map([[3, 'Etruria Valley link road']]),
    );
    expect(w).toEqual({
      id: 9,
      at: '2026-01-02T10:00:00.000Z',
      who: 'Ada Finance <ada@example.org>',
      project: 'Etruria Valley link road',
      summary: 'Changed the spend line for 2015-16 Q1',
      changes: [{ field: 'Actual', before: '–', after: '£125,000.00' }],
    });
  });
});
