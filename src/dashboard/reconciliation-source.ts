import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { HeadlineFigure } from '../headlines/headline-figure.entity';
import { reconcile, type HeadlineInput, type ProjectRef, type ReconciliationReport } from '../reconciliation/engine';
import type { PublicGroup } from './dashboard.queries';

/**
 * Where the dashboard gets its reconciliation. TEMPORARY ADAPTER: until the reconciliation
 * service lands, `EngineReconciliationAdapter` feeds the pure engine from the dashboard's own
 * aggregate query (approved allocations only). The reconciliation module replaces it by
 * providing RECONCILIATION_SOURCE (one line in DashboardModule), and passes real output totals.
 */
export const RECONCILIATION_SOURCE = Symbol('RECONCILIATION_SOURCE');

export interface ReconciliationInputs {
  programmeId: number;
  groups: readonly PublicGroup[];
  projects: readonly ProjectRef[];
}

export interface ReconciliationSource {
  /** Reconciles the programme's headlines against the given public (approved) groups. */
  report(m: EntityManager, input: ReconciliationInputs): Promise<ReconciliationReport & { headlines: HeadlineFigure[] }>;
}

export function headlineInput(h: HeadlineFigure): HeadlineInput {
  return {
    id: h.id,
    code: h.code,
    measure: h.measure,
    label: h.label,
    qualifier: h.qualifier,
    unit: h.unit,
    value: h.value,
    precision: h.precision,
    rule: h.rule,
    tableName: h.tableName,
    tableRow: h.tableRow,
    tableColumn: h.tableColumn,
    notes: h.notes,
    source: { document: h.source.document, section: h.source.section, quote: h.source.quote, printed: h.source.printed },
  };
}

@Injectable()
export class EngineReconciliationAdapter implements ReconciliationSource {
  async report(m: EntityManager, input: ReconciliationInputs) {
    const headlines = await m.find(HeadlineFigure, { where: { programmeId: input.programmeId }, order: { id: 'ASC' } });
    // Output totals come from the outputs feature; until it exists nothing has been delivered,
    // and the engine says jobs and homes "cannot be compared yet" rather than inventing numbers.
    const report = reconcile({ headlines: headlines.map(headlineInput), groups: input.groups, projects: input.projects, outputs: {} });
    return { ...report, headlines };
  }
}
