import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsInt32 } from '../common/validation';

export class SetAssumptionDto {
  @ApiProperty({ example: 'E37000032', description: 'The assumed value (published as "not from source").' })
  @IsString()
  @Length(1, 300)
  value: string;

  @ApiPropertyOptional({ example: 'ONS code for the LEP area, checked against the ONS register.' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;

  @ApiProperty({ example: 1, description: 'The version you read (0 to create a key not stored yet).' })
  @IsInt32(0)
  version: number;
}

export class Giving360Query {
  @ApiPropertyOptional({ example: 'SSLEP-GD-2014', description: 'One programme only (default: every programme).' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/)
  programme?: string;
}
