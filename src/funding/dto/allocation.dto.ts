import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { SourceDto } from '../../common/provenance.dto';
import { CODE_MESSAGE, CODE_PATTERN, VersionedDto } from '../../common/dto';
import { IsPounds } from '../../common/money.validators';
import { PageQuery } from '../../common/pagination';
import { APPROVAL_STATES, COMMITMENT_STATUSES, CommitmentStatus } from '../allocation.entity';
import { IsOmittable } from '../../common/validation';
import { IsPeriod } from '../period';

/** New allocations are drafts; approved ones change only through approved change requests. */
export class CreateAllocationDto {
  @ApiProperty({ example: 'LGF' })
  @Matches(CODE_PATTERN, { message: `sourceKind ${CODE_MESSAGE}` })
  sourceKind: string;

  @ApiPropertyOptional({
    example: 'ETRURIA',
    description: 'project code; omit both project and pool for programme-level money',
  })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `project ${CODE_MESSAGE}` })
  project?: string;

  @ApiPropertyOptional({
    example: 'SITES-PRIVATE',
    description: 'pool code (money committed to a group of projects without a split)',
  })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `pool ${CODE_MESSAGE}` })
  pool?: string;

  @ApiProperty({ example: 'unprofiled' })
  @IsPeriod()
  period: string;

  @ApiProperty({ example: '2400000.00' })
  @IsPounds()
  amount: string;

  @ApiProperty({ enum: COMMITMENT_STATUSES, example: 'confirmed' })
  @IsIn(COMMITMENT_STATUSES)
  commitmentStatus: CommitmentStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string;

  @ApiPropertyOptional({ type: SourceDto, description: 'where the money comes from (as in a deal file)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SourceDto)
  source?: SourceDto;
}

export class UpdateAllocationDto extends VersionedDto {
  @ApiPropertyOptional({ example: '2500000.00' })
  @IsOmittable()
  @IsPounds()
  amount?: string;

  @ApiPropertyOptional({ example: '2015-16' })
  @IsOmittable()
  @IsPeriod()
  period?: string;

  @ApiPropertyOptional({ enum: COMMITMENT_STATUSES })
  @IsOmittable()
  @IsIn(COMMITMENT_STATUSES)
  commitmentStatus?: CommitmentStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string;
}

export class AllocationQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'LGF' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `sourceKind ${CODE_MESSAGE}` })
  sourceKind?: string;

  @ApiPropertyOptional({ example: 'ETRURIA' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `project ${CODE_MESSAGE}` })
  project?: string;

  @ApiPropertyOptional({ enum: COMMITMENT_STATUSES })
  @IsOptional()
  @IsIn(COMMITMENT_STATUSES)
  commitmentStatus?: CommitmentStatus;

  @ApiPropertyOptional({ enum: APPROVAL_STATES })
  @IsOptional()
  @IsIn(APPROVAL_STATES)
  approvalState?: 'draft' | 'approved';
}
