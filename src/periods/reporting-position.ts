import { EntityManager } from 'typeorm';
import { FiscalQuarter, formatFiscalYear, formatQuarter, quarterEnd } from '../common/fiscal';
import type { Programme } from '../programmes/programme.entity';
import { PeriodsService } from './periods.service';

/** Where the programme stands: its reporting quarter (the earliest not submitted) and that quarter's year. */
export interface ReportingPosition {
  quarter: FiscalQuarter;
  quarterCode: string;
  quarterEnd: string;
  year: string;
  yearFrom: string;
  yearTo: string;
}

export async function reportingPosition(
  m: EntityManager,
  periods: PeriodsService,
  prog: Programme,
): Promise<ReportingPosition> {
  const q = await periods.currentQuarter(m, prog);
  return {
    quarter: q,
    quarterCode: formatQuarter(q),
    quarterEnd: quarterEnd(q),
    year: formatFiscalYear(q.year),
    yearFrom: formatQuarter({ year: q.year, q: 1 }),
    yearTo: formatQuarter({ year: q.year, q: 4 }),
  };
}
