import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { VersionedDto } from '../../common/dto';
import { IsOmittable } from '../../common/validation';
import { RISK_SCALE, type RiskLevel } from '../risk.entity';

const LEVEL = 'a whole number from 1 (very low) to 5 (very high)';

/** A new risk in a project's register (the staff pages' form, as JSON). */
export class CreateRiskDto {
  @ApiProperty({ example: 'Ground remediation costs exceed the estimate', maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  description: string;

  @ApiProperty({ enum: RISK_SCALE, example: 3, description: `How likely: ${LEVEL}` })
  @IsIn(RISK_SCALE, { message: `likelihood must be ${LEVEL}` })
  likelihood: RiskLevel;

  @ApiProperty({ enum: RISK_SCALE, example: 4, description: `How bad if it happens: ${LEVEL}` })
  @IsIn(RISK_SCALE, { message: `impact must be ${LEVEL}` })
  impact: RiskLevel;

  @ApiPropertyOptional({
    example: 'Contingency of 10 % held; site investigation before contract award',
    maxLength: 2000,
    nullable: true,
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(0, 2000)
  mitigation?: string | null;

  @ApiProperty({ example: 'Project director, Stoke-on-Trent City Council', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  owner: string;
}

/** A change to an open risk: the fields given replace the current ones; the rest stay. */
export class UpdateRiskDto extends VersionedDto {
  @ApiPropertyOptional({ example: 'Ground remediation costs exceed the estimate by more than 10 %', maxLength: 2000 })
  @IsOmittable()
  @IsString()
  @Length(1, 2000)
  description?: string;

  @ApiPropertyOptional({ enum: RISK_SCALE, example: 4 })
  @IsOmittable()
  @IsIn(RISK_SCALE, { message: `likelihood must be ${LEVEL}` })
  likelihood?: RiskLevel;

  @ApiPropertyOptional({ enum: RISK_SCALE, example: 4 })
  @IsOmittable()
  @IsIn(RISK_SCALE, { message: `impact must be ${LEVEL}` })
  impact?: RiskLevel;

  @ApiPropertyOptional({ example: 'Second site investigation commissioned', maxLength: 2000, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(0, 2000)
  mitigation?: string | null;

  @ApiPropertyOptional({ example: 'Head of regeneration, Stoke-on-Trent City Council', maxLength: 200 })
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  owner?: string;
}

/** Closing a risk: the version read (a closed risk is kept as history). */
export class CloseRiskDto extends VersionedDto {}
