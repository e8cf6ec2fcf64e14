import { parseActualsCsv } from './actuals-csv';

describe('actuals CSV', () => {
  it('reads loose pounds and notes', () => {
    const r = parseActualsCsv(
      'project,sourceKind,quarter,actual,note\nSWAR,LGF,2016-17 Q4,"1,234.5",invoice 7\nAMSH,LGF,2016-17 Q4,£20,\n',
    );
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([
      { line: 2, project: 'SWAR', sourceKind: 'LGF', quarter: '2016-17 Q4', actualPence: 123450, note: 'invoice 7' },
      { line: 3, project: 'AMSH', sourceKind: 'LGF', quarter: '2016-17 Q4', actualPence: 2000, note: null },
    ]);
  });
  it('names line and column for every problem', () => {
    const r = parseActualsCsv(
      'project,sourceKind,quarter,actual\nSWAR,LGF,2016/17 Q4,10\nSWAR,LGF,2016-17 Q4,-5\nSWAR,LGF,2016-17 Q4,1.234\n,LGF,2016-17 Q4,1\n',
    );
    expect(r.problems.map((p) => p.field)).toEqual([
      'line 2, quarter',
      'line 3, actual',
      'line 4, actual',
      'line 5, project',
    ]);
    expect(r.rows).toEqual([]);
  });
  it('refuses a wrong header', () => {
    expect(parseActualsCsv('project,source,quarter,actual\n').problems).toEqual([
      {
        field: 'line 1, header',
        problem: 'expected columns project,sourceKind,quarter,actual[,note]; missing sourceKind; unknown source',
      },
    ]);
  });
});
