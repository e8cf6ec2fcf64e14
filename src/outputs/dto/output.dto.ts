import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { CODE_MESSAGE, CODE_PATTERN } from '../../common/dto';
import { IsQuarter } from '../../common/fiscal.validators';
import { METRIC_UNITS, MetricUnit } from '../output.entities';
import { IsInt32 } from '../../common/validation';

const VALUE_DOC =
  'in the metric’s unit: a JSON integer for counts and m², a string with the unit’s places otherwise ("1.250" km, "12.50" ha, "1000.00" £)';

export class CreateMetricDto {
  @ApiProperty({ example: 'CYCLE_PARKING' })
  @Matches(CODE_PATTERN, { message: `code ${CODE_MESSAGE}` })
  code: string;

  @ApiProperty({ example: 'Cycle parking spaces created' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: METRIC_UNITS, example: 'count' })
  @IsIn(METRIC_UNITS)
  unit: MetricUnit;
}

export class SetOutputPlanDto {
  @ApiPropertyOptional({
    example: 1200,
    description: `target for the whole programme period, ${VALUE_DOC}; set once (later only by an approved re-baseline change request)`,
  })
  @IsOptional()
  target?: unknown;

  @ApiPropertyOptional({ example: 1100, description: `latest forecast of the final total, ${VALUE_DOC}` })
  @IsOptional()
  forecast?: unknown;

  @ApiPropertyOptional({ example: 2, description: 'required when the row exists' })
  @IsOptional()
  @IsInt32(1)
  version?: number;
}

export class CreateOutputActualDto {
  @ApiProperty({ example: '2016-17 Q4' })
  @IsQuarter()
  quarter: string;

  @ApiProperty({ example: 35, description: `achieved in the quarter, ${VALUE_DOC}` })
  @IsDefined()
  value: unknown;

  @ApiProperty({
    example: 'EMPLOYER:JCB',
    description:
      'what is claimed (employer, site or reference); the same key claimed by two projects is flagged and counted once',
  })
  @IsString()
  @Length(1, 200)
  claimKey: string;

  @ApiPropertyOptional({ example: 'Payroll extract 2017-03 signed by the employer' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  evidence?: string;
}

export class UpdateOutputActualDto {
  @ApiProperty({ example: 2 })
  @IsInt32(1)
  version: number;

  @ApiPropertyOptional({ example: 36 })
  @IsOptional()
  value?: unknown;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  evidence?: string;
}
