import { cellText, SHEET_ROWS_SHOWN, sheetTables } from './sheet-tables';

describe('the return sheets as GOV.UK tables', () => {
  it('reads each cell as a person would', () => {
    expect(cellText('money', '34600000.05')).toBe('£34,600,000.05');
    expect(cellText('money', '-5.00')).toBe('-£5.00');
    expect(cellText('percent', '12.50')).toBe('12.50%');
    expect(cellText('date', '2017-03-31')).toBe('31 March 2017');
    expect(cellText('datetime', '2017-04-30T09:05:00.000Z')).toBe('30 April 2017 at 09:05');
    expect(cellText('integer', 1234567)).toBe('1,234,567');
    expect(cellText('quantity', '2.100')).toBe('2.100');
    expect(cellText('text', 'LGF')).toBe('LGF');
    expect(cellText('money', null)).toBe('');
    // A text cell typed as money in one row stays as written, never a wrong reading.
    expect(cellText('money', 'n/a')).toBe('n/a');
  });

  it('gives numeric columns the numeric format, labels each total row, and shows at most the first rows', () => {
    const rows = Array.from({ length: SHEET_ROWS_SHOWN + 2 }, (_, i) => ({ kind: `K${i}`, amount: '1.00' }));
    const [sheet] = sheetTables({
      sections: [
        {
          key: 'summary',
          title: 'Summary by source',
          columns: [
            { key: 'kind', header: 'Source', type: 'text' },
            { key: 'amount', header: 'Amount (£)', type: 'money' },
          ],
          rows,
          totals: [{ label: 'Total', values: { amount: '502.00' } }],
        },
      ],
    });
    expect(sheet.head).toEqual([
      { text: 'Source', format: undefined },
      { text: 'Amount (£)', format: 'numeric' },
    ]);
    expect([sheet.rowCount, sheet.shown, sheet.rows.length]).toEqual([502, 500, 501]);
    expect(sheet.rows[0]).toEqual([
      { text: 'K0', format: undefined },
      { text: '£1.00', format: 'numeric' },
    ]);
    expect(sheet.rows[500]).toEqual([
      { text: 'Total', format: undefined, classes: 'govuk-!-font-weight-bold' },
      { text: '£502.00', format: 'numeric' },
    ]);
  });
});
