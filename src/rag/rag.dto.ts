import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import { VersionedDto } from '../common/dto';

export class RagOverrideDto extends VersionedDto {
  @ApiProperty({
    enum: ['green', 'amber', 'red'],
    nullable: true,
    example: 'amber',
    description: 'null clears the override',
  })
  @ValidateIf((_, v) => v !== null)
  @IsIn(['green', 'amber', 'red'])
  rag: 'green' | 'amber' | 'red' | null;

  @ApiPropertyOptional({ example: 'Contractor recovery plan agreed with the board on 2017-03-02' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  reason?: string;
}

const pct = () => [IsOptional(), IsInt(), Min(0), Max(1000)];
function Pct(): PropertyDecorator {
  return (target, key) => pct().forEach((d) => d(target, key));
}

export class RagThresholdsDto extends VersionedDto {
  @ApiPropertyOptional({ example: 95 }) @Pct() financeGreenMin?: number;
  @ApiPropertyOptional({ example: 85 }) @Pct() financeAmberMin?: number;
  @ApiPropertyOptional({ example: 105 }) @Pct() financeOverspendAbove?: number;
  @ApiPropertyOptional({ example: 90 }) @Pct() milestoneAmberMaxDays?: number;
  @ApiPropertyOptional({ example: 90 }) @Pct() outputGreenMin?: number;
  @ApiPropertyOptional({ example: 75 }) @Pct() outputAmberMin?: number;
}
