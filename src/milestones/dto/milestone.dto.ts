import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { SourceDto } from '../../common/provenance.dto';
import { CODE_MESSAGE, CODE_PATTERN, VersionedDto } from '../../common/dto';
import { IsCalendarDate } from '../../common/fiscal.validators';
import { MILESTONE_STATUSES, MilestoneStatus, PROJECT_MILESTONE_KINDS } from '../milestone.entity';

export class CreateMilestoneDto {
  @ApiProperty({ enum: PROJECT_MILESTONE_KINDS, example: 'start_on_site' })
  @IsIn(PROJECT_MILESTONE_KINDS)
  kind: (typeof PROJECT_MILESTONE_KINDS)[number];

  @ApiProperty({ example: 'Start on site' })
  @IsString()
  @Length(1, 300)
  title: string;

  @ApiPropertyOptional({
    example: '2016-06-01',
    description: 'the approved date (set once here; later only by an approved re-baseline change request)',
  })
  @IsOptional()
  @IsCalendarDate()
  baselineDate?: string;

  @ApiPropertyOptional({ example: '2016-07-15' })
  @IsOptional()
  @IsCalendarDate()
  forecastDate?: string;

  @ApiPropertyOptional({ example: '2016-07-20' })
  @IsOptional()
  @IsCalendarDate()
  actualDate?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  notes?: string;

  @ApiPropertyOptional({
    type: SourceDto,
    description: 'where the milestone and its date come from (document and quote)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SourceDto)
  source?: SourceDto;
}

export class CreateProgrammeMilestoneDto {
  @ApiPropertyOptional({ example: 'EVALUATION-PLAN' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `code ${CODE_MESSAGE}` })
  code?: string;

  @ApiProperty({ example: 'Evaluation plan for the Deal’s projects produced' })
  @IsString()
  @Length(1, 300)
  title: string;

  @ApiPropertyOptional({ enum: ['lep', 'government'], example: 'lep' })
  @IsOptional()
  @IsIn(['lep', 'government'])
  owner?: string;

  @ApiPropertyOptional({
    example: '2015-03-31',
    description: 'may fall before the programme starts (deal commitments), never after it ends',
  })
  @IsOptional()
  @IsCalendarDate()
  baselineDate?: string;

  @ApiPropertyOptional({ example: '2015-03-31' })
  @IsOptional()
  @IsCalendarDate()
  forecastDate?: string;

  @ApiPropertyOptional({ example: '2015-03-20' })
  @IsOptional()
  @IsCalendarDate()
  actualDate?: string;

  @ApiPropertyOptional({ example: 'before April 2015' })
  @IsOptional()
  @IsString()
  @Length(0, 200)
  dueWords?: string;

  @ApiPropertyOptional({
    type: SourceDto,
    description: 'where the milestone and its date come from (document and quote)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SourceDto)
  source?: SourceDto;
}

export class UpdateMilestoneDto extends VersionedDto {
  @ApiPropertyOptional({ example: 'Start on site (phase 1)' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  title?: string;

  @ApiPropertyOptional({
    description: 'refused: the baseline changes only through an approved re-baseline change request',
  })
  @IsOptional()
  baselineDate?: string;

  @ApiPropertyOptional({ example: '2016-09-30', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsCalendarDate()
  forecastDate?: string | null;

  @ApiPropertyOptional({
    example: '2016-09-28',
    nullable: true,
    description: 'not after the end of the reporting quarter',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsCalendarDate()
  actualDate?: string | null;

  @ApiPropertyOptional({ enum: MILESTONE_STATUSES })
  @IsOptional()
  @IsIn(MILESTONE_STATUSES)
  status?: MilestoneStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  notes?: string;
}
