import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType, PartialType } from '@nestjs/swagger';
import { IsObject, IsOptional, Matches, Max } from 'class-validator';
import { MAX_RETURN_DUE_MONTHS } from '../../periods/programme-clock';
import { CODE_MESSAGE, CODE_PATTERN, CodeNameDto, VersionedDto } from '../../common/dto';
import { IsCalendarDate, IsQuarter } from '../../common/fiscal.validators';
import { IsOmittable, IsInt32 } from '../../common/validation';

export class CreateProgrammeDto extends CodeNameDto({
  code: 'SSLEP-GD-2014',
  name: 'Stoke-on-Trent and Staffordshire Growth Deal (2014)',
}) {
  @ApiPropertyOptional({ example: 'SSLEP', description: 'organisation code of the LEP' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `lep ${CODE_MESSAGE}` })
  lep?: string;

  @ApiProperty({ example: '2015-04-01' })
  @IsCalendarDate()
  startsOn: string;

  @ApiProperty({ example: '2021-03-31' })
  @IsCalendarDate()
  endsOn: string;

  @ApiProperty({ example: '2015-16 Q1' })
  @IsQuarter()
  firstQuarter: string;

  @ApiPropertyOptional({
    example: '2026-03-31',
    description:
      'last date output actuals may be recorded for (quarters after endsOn: outputs only, never spend); default five years after endsOn',
  })
  @IsOptional()
  @IsCalendarDate()
  monitoringEndsOn?: string;

  @ApiPropertyOptional({
    example: '2017-04-30',
    nullable: true,
    description:
      'the programme\'s own "today": returns are due or overdue against it (programme time); null or absent means the wall-clock date. A replayed history sets the date its story stands at',
  })
  @IsOptional()
  @IsCalendarDate()
  asOfDate?: string | null;

  @ApiPropertyOptional({
    example: 1,
    nullable: true,
    description: 'a return is due this many months after its quarter ends (0 to 12); null or absent means one',
  })
  @IsOptional()
  @IsInt32(0)
  @Max(MAX_RETURN_DUE_MONTHS, { message: `returnDueMonths must not be greater than ${MAX_RETURN_DUE_MONTHS}` })
  returnDueMonths?: number | null;
}

export class UpdateProgrammeDto extends IntersectionType(
  PartialType(OmitType(CreateProgrammeDto, ['code'] as const), { skipNullProperties: false }),
  VersionedDto,
) {
  @ApiPropertyOptional({
    description:
      'Refused here (422 ONE_DOOR): RAG thresholds are set through PUT .../rag/thresholds, which checks them',
    example: { financeGreen: 95 },
  })
  @IsOptional()
  @IsObject()
  ragThresholds?: Record<string, number>;
}

export class CreateThemeDto extends CodeNameDto({
  code: 'SITES',
  name: 'Opening up access to key employment sites identified in the City Deal',
}) {
  @ApiPropertyOptional({ example: 1 })
  @IsOmittable()
  @IsInt32(0)
  position?: number;
}

export class UpdateThemeDto extends IntersectionType(
  PartialType(OmitType(CreateThemeDto, ['code'] as const), { skipNullProperties: false }),
  VersionedDto,
) {}
