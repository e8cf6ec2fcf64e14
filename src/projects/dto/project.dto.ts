import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { SourceDto } from '../../common/provenance.dto';
import { CODE_MESSAGE, CODE_PATTERN, CodeNameDto, VersionedDto } from '../../common/dto';
import { PageQuery } from '../../common/pagination';
import { PROJECT_STATUSES, ProjectStatus } from '../project.entity';
import { IsOmittable } from '../../common/validation';

export class CreateProjectDto extends CodeNameDto({ code: 'ETRURIA', name: 'Etruria Valley Enterprise Area' }) {
  @ApiPropertyOptional({ example: 'SITES', description: 'theme code' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `theme ${CODE_MESSAGE}` })
  theme?: string;

  @ApiPropertyOptional({ example: 'Etruria Valley, Stoke-on-Trent' })
  @IsOptional()
  @IsString()
  @Length(0, 300)
  location?: string;

  @ApiPropertyOptional({ enum: PROJECT_STATUSES, default: 'pipeline' })
  @IsOmittable()
  @IsIn(PROJECT_STATUSES)
  status?: ProjectStatus;

  @ApiPropertyOptional({ example: 'STOKE-CC', description: 'organisation code of the lead delivery body' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `leadBody ${CODE_MESSAGE}` })
  leadBody?: string;
}

export class UpdateProjectDto extends IntersectionType(
  PartialType(OmitType(CreateProjectDto, ['code'] as const), { skipNullProperties: false }),
  VersionedDto,
) {}

export class ProjectQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'SITES' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `theme ${CODE_MESSAGE}` })
  theme?: string;

  @ApiPropertyOptional({ enum: PROJECT_STATUSES })
  @IsOptional()
  @IsIn(PROJECT_STATUSES)
  status?: ProjectStatus;
}

/** A pool: money committed to a group of projects without a split (e.g. private match). */
export class CreatePoolDto extends IntersectionType(
  CodeNameDto({ code: 'SITES-PRIVATE', name: 'Private sector match for the employment sites' }),
  PickType(CreateProjectDto, ['theme'] as const),
) {
  @ApiProperty({ example: ['MEAFORD', 'LICHFIELD'], description: 'codes of the member projects' })
  @IsArray()
  @ArrayMaxSize(500)
  @Matches(CODE_PATTERN, { each: true, message: `projects entries ${CODE_MESSAGE}` })
  projects: string[];

  @ApiPropertyOptional({ type: SourceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SourceDto)
  source?: SourceDto;
}
