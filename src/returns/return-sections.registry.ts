import { Injectable } from '@nestjs/common';
import { ColumnSpec, RowInput } from '../xlsx';
import { ReturnContext, SECTION_ORDER, SectionKey, SectionProvider } from './return-document';

/**
 * Extra summary columns per source kind from another feature (e.g. spend: in quarter,
 * cumulative, latest forecast for the year and the programme). Values are keyed by source
 * kind code; money in pence. They appear after the allocation columns and are totalled.
 */
export interface SummaryColumnsProvider {
  key: string;
  columns: ColumnSpec[];
  values(ctx: ReturnContext): Promise<Map<string, RowInput>>;
}

/**
 * Where features plug their parts of the quarterly return. A feature module injects this
 * (ReturnsModule is global) and calls register(...) in its onModuleInit; the return then
 * includes its section in the fixed order of DESIGN.md. Sections nobody provides are listed
 * on the cover as not included, never faked.
 */
@Injectable()
export class ReturnSectionsRegistry {
  private readonly providers = new Map<SectionKey, SectionProvider>();
  private readonly summaryColumns: SummaryColumnsProvider[] = [];

  register(provider: SectionProvider): void {
    if (this.providers.has(provider.key))
      throw new Error(`the ${provider.key} section of the return is already provided`);
    this.providers.set(provider.key, provider);
  }

  registerSummaryColumns(p: SummaryColumnsProvider): void {
    if (this.summaryColumns.some((x) => x.key === p.key))
      throw new Error(`summary columns "${p.key}" are already registered`);
    this.summaryColumns.push(p);
  }

  /** Providers in the return's order (cover and checks are the service's own). */
  ordered(): SectionProvider[] {
    return SECTION_ORDER.map((k) => this.providers.get(k)).filter((p): p is SectionProvider => !!p);
  }

  missing(): SectionKey[] {
    return SECTION_ORDER.filter((k) => k !== 'cover' && k !== 'checks' && !this.providers.has(k));
  }

  summaryColumnProviders(): readonly SummaryColumnsProvider[] {
    return this.summaryColumns;
  }
}
