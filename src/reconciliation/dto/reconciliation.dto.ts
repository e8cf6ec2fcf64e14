import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { DIMENSIONS } from '../engine';
import { APPROVAL_FILTERS, type ApprovalFilter } from '../reconciliation.service';

export const FORMATS = ['json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export class FormatQuery {
  @ApiPropertyOptional({
    enum: FORMATS,
    example: 'csv',
    description: 'csv downloads a spreadsheet-ready file; `Accept: text/csv` does the same',
  })
  @IsOptional()
  @IsIn(FORMATS)
  format?: Format;
}

export class BreakdownQuery extends FormatQuery {
  @ApiPropertyOptional({
    example: 'sourceKind,year',
    default: 'sourceKind',
    description: `Comma-separated dimensions from ${DIMENSIONS.join(', ')}. With two or more, the last is the columns and the others the rows.`,
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  by?: string;

  @ApiPropertyOptional({
    enum: APPROVAL_FILTERS,
    default: 'approved',
    description: 'draft and all need a signed-in role: drafts are not public',
  })
  @IsOptional()
  @IsIn(APPROVAL_FILTERS)
  approval?: ApprovalFilter;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description: 'withdrawn allocations are left out unless asked for',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeWithdrawn?: 'true' | 'false';
}

/** The national breakdown: the dimensions every programme shares (themes and projects are per programme). */
export class NationalBreakdownQuery extends FormatQuery {
  @ApiPropertyOptional({
    example: 'sourceKind,year',
    default: 'sourceKind,year',
    description: 'Comma-separated dimensions from sourceKind, status, year. With two or more, the last is the columns.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  by?: string;

  @ApiPropertyOptional({
    enum: APPROVAL_FILTERS,
    default: 'approved',
    description: 'draft and all need a signed-in role: drafts are not public',
  })
  @IsOptional()
  @IsIn(APPROVAL_FILTERS)
  approval?: ApprovalFilter;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description: 'withdrawn allocations are left out unless asked for',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeWithdrawn?: 'true' | 'false';
}

export const BREAKDOWN_EXAMPLE = {
  programme: { code: 'SSLEP-GD-2014', name: 'Stoke-on-Trent and Staffordshire Growth Deal (2014)' },
  filters: { approval: 'approved', includeWithdrawn: false },
  unit: 'pounds',
  by: ['sourceKind', 'year'],
  rowDimensions: ['sourceKind'],
  columnDimension: 'year',
  columns: ['2015-16', 'unprofiled'],
  rows: [
    {
      key: { sourceKind: 'LGF' },
      labels: ['LGF'],
      cells: { '2015-16': '0.00', unprofiled: '34600000.00' },
      total: '34600000.00',
      allocationIds: [4, 5, 6, 7, 14, 18],
    },
    {
      key: { sourceKind: 'REVENUE_GRANT' },
      labels: ['REVENUE_GRANT'],
      cells: { '2015-16': '250000.00', unprofiled: '0.00' },
      total: '250000.00',
      allocationIds: [19],
    },
  ],
  columnTotals: { '2015-16': '250000.00', unprofiled: '34600000.00' },
  grandTotal: '34850000.00',
};

export const RECONCILIATION_EXAMPLE = {
  programme: { code: 'SSLEP-GD-2014', name: 'Stoke-on-Trent and Staffordshire Growth Deal (2014)' },
  summary: {
    lines: 2,
    byStatus: { reconciled: 1, within_rounding: 0, unreconciled: 1, met: 0, not_met: 0, not_comparable: 0 },
    conflicts: 1,
  },
  lines: [
    {
      headlineCode: 'B-LGF-TOTAL',
      check: 'allocations',
      label: 'Local Growth Fund secured (deal document)',
      unit: 'pounds',
      qualifier: 'exact',
      status: 'unreconciled',
      stated: '82300000.00',
      computed: '78100000.00',
      variance: '-4200000.00',
      precision: '100000.00',
      tolerance: '50000.00',
      unattributed: '4200000.00',
      explanation:
        'The project-level allocations add up to £78.1m, £4.2m less than the £82.3m stated. £4.2m is shown as unattributed; nothing has been moved.',
      provenance: {
        document: 'Part B. The Growth Deal document (appendix)',
        section: 'Summary',
        quote: "secured **£82.3m from the Government's Local Growth fund",
        printed: '£82.3m',
      },
      contributingAllocationIds: [4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 18],
      suggestion: null,
    },
  ],
  conflicts: [{ measure: 'LGF_TOTAL', unit: 'pounds', spread: '300000.00', explanation: '…', headlines: [] }],
};
