import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { IsInt32 } from './validation';

/** DELETE ?version=N: refuse if someone changed the record since you read it. */
export class VersionQuery {
  @ApiPropertyOptional({ example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt32(1)
  version?: number;
}
