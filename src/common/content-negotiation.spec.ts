import { negotiate, XLSX_TYPE } from './content-negotiation';

describe('negotiate (CSV, xlsx or JSON)', () => {
  it('?format= wins over the Accept header', () => {
    expect(negotiate('csv', 'application/json', ['csv'])).toBe('csv');
    expect(negotiate('json', 'text/csv', ['csv'])).toBe('json');
    expect(negotiate('xlsx', undefined, ['xlsx'])).toBe('xlsx');
    expect(negotiate('json', XLSX_TYPE, ['xlsx'])).toBe('json');
  });

  it('without ?format=, an Accept header listing an offered type (any case, with parameters)', () => {
    expect(negotiate(undefined, 'text/csv', ['csv'])).toBe('csv');
    expect(negotiate(undefined, 'application/json, Text/CSV;q=0.9', ['csv'])).toBe('csv');
    expect(negotiate(undefined, `${XLSX_TYPE}`, ['xlsx'])).toBe('xlsx');
    expect(negotiate(undefined, `application/json,${XLSX_TYPE};q=0.5`, ['xlsx'])).toBe('xlsx');
  });

  it('otherwise JSON: no header, */*, or a type the route does not offer', () => {
    expect(negotiate(undefined, undefined, ['csv'])).toBe('json');
    expect(negotiate(undefined, '*/*', ['csv'])).toBe('json');
    expect(negotiate(undefined, XLSX_TYPE, ['csv'])).toBe('json');
    expect(negotiate(undefined, 'text/csv', ['xlsx'])).toBe('json');
    expect(negotiate(undefined, 'text/csvx', ['csv'])).toBe('json');
  });
});
