import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
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

export class SourceDto {
  @ApiProperty() @IsString() @Length(1, 200) document: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 300) section?: string;
  @ApiProperty() @IsString() @Length(1, 5000) quote: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 50) printed?: string;
}

export class CreateHeadlineDto {
  @ApiProperty({ example: 'B-LGF-TOTAL' }) @Matches(CODE_PATTERN, { message: `code ${CODE_MESSAGE}` }) code: string;
  @ApiProperty({ example: 'LGF_TOTAL' }) @Matches(CODE_PATTERN, { message: `measure ${CODE_MESSAGE}` }) measure: string;
  @ApiProperty() @IsString() @Length(1, 300) label: string;
  @ApiProperty({ enum: QUALIFIERS }) @IsIn(QUALIFIERS) qualifier: Qualifier;
  @ApiProperty({ enum: HEADLINE_UNITS }) @IsIn(HEADLINE_UNITS) unit: HeadlineUnit;
  @ApiProperty({ example: '82300000.00', description: 'pounds with two places for money; a whole number for counts' })
  @Matches(/^(0|[1-9]\d{0,14})(\.\d{2})?$/, {
    message: 'value must be "82300000.00" for pounds or a whole number like "5000" for counts',
  })
  value: string;
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
