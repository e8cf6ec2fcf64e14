import { IsPounds } from '../../common/money.validators';
import { SourceDto } from '../../common/provenance.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CODE_MESSAGE, CODE_PATTERN, VersionedDto } from '../../common/dto';
import { PageQuery } from '../../common/pagination';
import { HEADLINE_UNITS, HeadlineUnit, QUALIFIERS, Qualifier } from '../headline-figure.entity';
import { IsOmittable } from '../../common/validation';

const codes = (field: string) => Matches(CODE_PATTERN, { each: true, message: `${field} entries ${CODE_MESSAGE}` });

export class AllocationFilterDto {
  @ApiPropertyOptional({ example: ['LGF'] }) @IsOptional() @IsArray() @codes('sourceKinds') sourceKinds?: string[];
  @ApiPropertyOptional() @IsOptional() @IsArray() @codes('themes') themes?: string[];
  @ApiPropertyOptional() @IsOptional() @IsArray() @codes('projects') projects?: string[];
  @ApiPropertyOptional() @IsOptional() @IsArray() @codes('pools') pools?: string[];
  @ApiPropertyOptional({ example: ['2015-16'] })
  @IsOptional()
  @IsArray()
  @Matches(/^\d{4}-\d{2}$/, { each: true, message: 'years entries must be financial years like "2015-16"' })
  years?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() yearsOnwards?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() programmeLevel?: boolean;
}

export class CountRuleDto {
  @ApiProperty({ enum: ['projects'] }) @IsIn(['projects']) of: 'projects';
  @ApiPropertyOptional() @IsOptional() @IsArray() @codes('themes') themes?: string[];
}

export class OutputsRuleDto {
  @ApiProperty({ example: ['JOBS_CREATED'] }) @IsArray() @codes('metrics') metrics: string[];
}

export class HeadlineRuleDto {
  @ApiPropertyOptional({ type: AllocationFilterDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AllocationFilterDto)
  allocations?: AllocationFilterDto;
  @ApiPropertyOptional({ example: ['B-LGF-TOTAL', 'B-MATCH'] })
  @IsOptional()
  @IsArray()
  @codes('sumOf')
  sumOf?: string[];
  @ApiPropertyOptional({ type: CountRuleDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CountRuleDto)
  count?: CountRuleDto;
  @ApiPropertyOptional({ type: OutputsRuleDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => OutputsRuleDto)
  outputs?: OutputsRuleDto;
}

export class CreateHeadlineDto {
  @ApiProperty({ example: 'B-LGF-TOTAL' }) @Matches(CODE_PATTERN, { message: `code ${CODE_MESSAGE}` }) code: string;
  @ApiProperty({ example: 'LGF_TOTAL' }) @Matches(CODE_PATTERN, { message: `measure ${CODE_MESSAGE}` }) measure: string;
  @ApiProperty() @IsString() @Length(1, 300) label: string;
  @ApiProperty({ enum: QUALIFIERS }) @IsIn(QUALIFIERS) qualifier: Qualifier;
  @ApiProperty({ enum: HEADLINE_UNITS }) @IsIn(HEADLINE_UNITS) unit: HeadlineUnit;
  @ApiPropertyOptional({
    example: '82300000.00',
    description: 'money headlines: the pounds stated, two places (the name a deal file uses; `value` is also accepted)',
  })
  @IsOptional()
  @IsPounds()
  amount?: string;
  @ApiPropertyOptional({
    example: '5000',
    description: 'counts: a whole number (for money give `amount`; "82300000.00" here is still accepted)',
  })
  @ValidateIf((o: { amount?: unknown }) => o.amount === undefined)
  @Matches(/^(0|[1-9]\d{0,14})(\.\d{2})?$/, {
    message: 'value must be a whole number like "5000" for counts (or give amount "82300000.00" for pounds)',
  })
  value?: string;
  @ApiProperty({ example: '100000.00', description: 'one unit of the last printed digit, in the same unit as value' })
  @Matches(/^(0|[1-9]\d{0,14})(\.\d{2})?$/, {
    message: 'precision must be "100000.00" for pounds or a whole number for counts',
  })
  precision: string;
  @ApiProperty({ type: HeadlineRuleDto }) @ValidateNested() @Type(() => HeadlineRuleDto) rule: HeadlineRuleDto;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 2000) notes?: string;
  @ApiProperty({ type: SourceDto }) @ValidateNested() @Type(() => SourceDto) source: SourceDto;
}

export class UpdateHeadlineDto extends VersionedDto {
  @ApiPropertyOptional() @IsOmittable() @IsString() @Length(1, 300) label?: string;
  @ApiPropertyOptional({ type: HeadlineRuleDto })
  @IsOmittable()
  @ValidateNested()
  @Type(() => HeadlineRuleDto)
  rule?: HeadlineRuleDto;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 2000) notes?: string;
}

export class HeadlineQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'LGF_TOTAL' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `measure ${CODE_MESSAGE}` })
  measure?: string;
  @ApiPropertyOptional({ enum: HEADLINE_UNITS }) @IsOptional() @IsIn(HEADLINE_UNITS) unit?: HeadlineUnit;
}
