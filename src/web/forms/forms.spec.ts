import { ValidationError } from '../../common/errors';
import { dateBoxes, dateWithin, parseDateInput, toBoxes } from './date-input';
import { formErrors, problemsOf } from './errors';
import { parseMoneyInput } from './money-input';
import { longDate } from '../view-filters';

describe('GOV.UK date input', () => {
  const p = (day: string, month: string, year: string, opts = {}) =>
    parseDateInput({ day, month, year }, 'Forecast date', opts);

  it('reads real dates, with month names and leading zeros', () => {
    expect(p('1', '4', '2015').value).toBe('2015-04-01');
    expect(p('09', '03', '2016').value).toBe('2016-03-09');
    expect(p('29', 'feb', '2016').value).toBe('2016-02-29');
    expect(p('31', 'December', '2020').value).toBe('2020-12-31');
  });

  it('says which part is missing or wrong, in the design system words', () => {
    expect(p('', '', '')).toMatchObject({ error: 'Enter forecast date', parts: ['day', 'month', 'year'] });
    const blank = p('', '', '', { required: false });
    expect([blank.value, blank.error, blank.parts]).toEqual([undefined, undefined, []]);
    expect(p('1', '', '2015')).toMatchObject({ error: 'Forecast date must include a month', parts: ['month'] });
    expect(p('', '', '2015')).toMatchObject({ error: 'Forecast date must include a day and month' });
    expect(p('29', '2', '2015')).toMatchObject({ error: 'Forecast date must be a real date', parts: ['day'] });
    expect(p('31', '4', '2016')).toMatchObject({ error: 'Forecast date must be a real date' });
    expect(p('1', '13', '2016')).toMatchObject({ error: 'Forecast date must be a real date', parts: ['month'] });
    expect(p('1', '4', '16')).toMatchObject({ error: 'Forecast date must include a year with 4 numbers, like 2016' });
    expect(p('x', '4', '2016')).toMatchObject({ error: 'Forecast date must be a real date', parts: ['day'] });
  });

  it('refuses dates outside a range (a quarter), naming it', () => {
    const q = (d: string) =>
      dateWithin(p(...(d.split(' ') as [string, string, string])), 'Actual date', '2015-04-01', '2015-06-30', longDate);
    expect(q('30 6 2015').value).toBe('2015-06-30');
    expect(q('1 7 2015')).toMatchObject({ error: 'Actual date must be the same as or before 30 June 2015' });
    expect(q('31 3 2015')).toMatchObject({ error: 'Actual date must be the same as or after 1 April 2015' });
  });

  it('round-trips boxes', () => {
    expect(toBoxes('2015-04-01')).toEqual({ day: '1', month: '4', year: '2015' });
    expect(dateBoxes({ 'due-day': ' 3 ', 'due-month': '5', 'due-year': '2017' }, 'due')).toEqual({
      day: '3',
      month: '5',
      year: '2017',
    });
  });
});

describe('money input', () => {
  it('accepts pound signs, commas and spaces, normalised and shown back', () => {
    expect(parseMoneyInput('£1,234.50', 'Spend')).toMatchObject({
      pence: 123450,
      canonical: '1234.50',
      shown: '£1,234.50',
    });
    expect(parseMoneyInput(' 2400000 ', 'Spend')).toMatchObject({ pence: 240000000, shown: '£2,400,000.00' });
    expect(parseMoneyInput('0.1', 'Spend')).toMatchObject({ pence: 10, canonical: '0.10' });
    expect(parseMoneyInput('-£5', 'Adjustment', { allowNegative: true })).toMatchObject({
      pence: -500,
      shown: '-£5.00',
    });
  });
  it('refuses what is not money, with the field named', () => {
    expect(parseMoneyInput('12.345', 'Spend').error).toBe(
      'Spend must be pounds and pence, like £1,234.50 (no more than two decimal places)',
    );
    expect(parseMoneyInput('twelve', 'Spend').error).toBe('Spend must be an amount of money, like £1,234.50');
    expect(parseMoneyInput('1e5', 'Spend').error).toBe('Spend must be an amount of money, like £1,234.50');
    expect(parseMoneyInput('1,23', 'Spend').error).toBe('Spend must be an amount of money, like £1,234.50');
    expect(parseMoneyInput('-5', 'Spend').error).toBe('Spend must be £0.00 or more');
    // The API's limit on every amount, said in the form's words.
    expect(parseMoneyInput('£1,000,000,000.01', 'Spend').error).toBe(
      'Spend must be at most £1,000,000,000.00 (either sign)',
    );
    expect(parseMoneyInput('1000000000', 'Spend').pence).toBe(100_000_000_000);
    expect(parseMoneyInput('', 'Spend', { required: true }).error).toBe('Enter spend');
    expect(parseMoneyInput('', 'Spend')).toEqual({ typed: '' });
  });
});

describe('form errors', () => {
  it('links each problem to its field and labels rule-like messages', () => {
    const e = formErrors(
      [
        { field: 'name', problem: 'must be 1-200 characters' },
        { field: 'password', problem: 'Enter a password' },
        { field: 'due', problem: 'Due date must be a real date' },
      ],
      { name: 'Full name' },
      { due: 'due-day' },
    );
    expect(e.list).toEqual([
      { text: 'Full name must be 1-200 characters', href: '#name' },
      { text: 'Enter a password', href: '#password' },
      { text: 'Due date must be a real date', href: '#due-day' },
    ]);
    expect(e.field.password).toEqual({ text: 'Enter a password' });
  });
  it('reads problems from domain errors', () => {
    expect(problemsOf(new ValidationError([{ field: 'email', problem: 'must be an email address' }]))).toEqual([
      { field: 'email', problem: 'must be an email address' },
    ]);
    expect(problemsOf(new Error('boom'))).toBeUndefined();
  });
});
