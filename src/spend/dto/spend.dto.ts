import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { SourceDto } from '../../common/provenance.dto';
import { CODE_MESSAGE, CODE_PATTERN } from '../../common/dto';
import { IsQuarter } from '../../common/fiscal.validators';
import { IsPounds } from '../../common/money.validators';
import { IsInt32 } from '../../common/validation';

class SpendLineKey {
  @ApiProperty({ example: 'LGF', description: 'a project-level source kind of this project' })
  @Matches(CODE_PATTERN, { message: `sourceKind ${CODE_MESSAGE}` })
  sourceKind: string;

  @ApiProperty({ example: '2016-17 Q4' })
  @IsQuarter()
  quarter: string;

  @ApiPropertyOptional({
    example: 3,
    description:
      'the version of the line you read; required when the line exists (stale → 409 with the current version)',
  })
  @IsOptional()
  @IsInt32(1)
  version?: number;
}

export class SetForecastDto extends SpendLineKey {
  @ApiProperty({ example: '350000.00', description: 'latest forecast spend in the quarter, pounds' })
  @IsPounds()
  forecast: string;
}

export class SetActualDto extends SpendLineKey {
  @ApiProperty({
    example: '298765.43',
    description: 'actual spend in the quarter, pounds (never negative: corrections to locked quarters are adjustments)',
  })
  @IsPounds()
  actual: string;
}

export class CreateAdjustmentDto {
  @ApiProperty({ example: 'LGF' })
  @Matches(CODE_PATTERN, { message: `sourceKind ${CODE_MESSAGE}` })
  sourceKind: string;

  @ApiProperty({ example: '2016-17 Q2', description: 'the submitted (locked) quarter being corrected' })
  @IsQuarter()
  correctsQuarter: string;

  @ApiProperty({ example: '-1250.00', description: 'signed pounds: negative reduces that quarter’s spend' })
  @IsPounds({ allowNegative: true, allowZero: false })
  amount: string;

  @ApiProperty({ example: 'Invoice 4471 was posted twice in 2016-17 Q2' })
  @IsString()
  @Length(5, 2000)
  reason: string;

  @ApiPropertyOptional({ type: SourceDto, description: 'where the figure comes from (document and quote)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SourceDto)
  source?: SourceDto;
}

export class CreateRepaymentDto {
  @ApiProperty({ example: 'LGF' })
  @Matches(CODE_PATTERN, { message: `sourceKind ${CODE_MESSAGE}` })
  sourceKind: string;

  @ApiProperty({ example: '25000.00', description: 'pounds repaid (positive): recorded as a negative spend line' })
  @IsPounds({ allowZero: false })
  amount: string;

  @ApiProperty({ example: 'Remittance RA-2017-0412', description: 'the repayment’s reference' })
  @IsString()
  @Length(1, 200)
  reference: string;

  @ApiProperty({ example: 'Grant clawed back: outputs not delivered on unit 4' })
  @IsString()
  @Length(5, 2000)
  reason: string;

  @ApiPropertyOptional({ type: SourceDto, description: 'where the figure comes from (document and quote)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SourceDto)
  source?: SourceDto;
}
