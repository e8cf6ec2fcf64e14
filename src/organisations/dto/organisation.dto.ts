import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { CODE_MESSAGE, CODE_PATTERN, VersionedDto } from '../../common/dto';
import { PageQuery } from '../../common/pagination';
import { ORGANISATION_KINDS, OrganisationKind } from '../organisation.entity';

export class CreateOrganisationDto {
  @ApiProperty({ example: 'STAFFS-CC' })
  @Matches(CODE_PATTERN, { message: `code ${CODE_MESSAGE}` })
  code: string;

  @ApiProperty({ example: 'Staffordshire County Council' })
  @IsString()
  @Length(1, 300)
  name: string;

  @ApiProperty({ enum: ORGANISATION_KINDS, example: 'council' })
  @IsIn(ORGANISATION_KINDS)
  kind: OrganisationKind;

  @ApiPropertyOptional({ example: 'GB-LAE-STS', description: 'org-id.guide identifier' })
  @IsOptional()
  @Matches(/^[A-Z]{2}-[A-Z0-9]+-[A-Za-z0-9._-]+$/, {
    message: 'identifier must look like an org-id.guide identifier, e.g. "GB-LAE-STS"',
  })
  identifier?: string;
}

export class UpdateOrganisationDto extends IntersectionType(
  PartialType(CreateOrganisationDto, { skipNullProperties: false }),
  VersionedDto,
) {}

export class OrganisationQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ORGANISATION_KINDS })
  @IsOptional()
  @IsIn(ORGANISATION_KINDS)
  kind?: OrganisationKind;
}
