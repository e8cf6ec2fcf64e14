import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

import { IsInt32 } from './validation';

/** Every update carries the version it was based on (optimistic locking). */
export class VersionedDto {
  @ApiProperty({ description: 'The version you read; a stale one gets 409 with the current version', example: 1 })
  @IsInt32(1)
  version: number;
}

export const CODE_PATTERN = /^[A-Z0-9][A-Z0-9_.-]{0,59}$/;
export const CODE_MESSAGE = 'must be 1-60 upper-case letters, digits, dot, dash or underscore, e.g. "ETRURIA"';

/**
 * The fields every coded record is created with (programme, theme, project, pool): a code, a
 * name and an optional description. A factory, so that each keeps its own OpenAPI examples.
 */
export function CodeNameDto(example: { code: string; name: string }) {
  class CodeName {
    @ApiProperty({ example: example.code })
    @Matches(CODE_PATTERN, { message: `code ${CODE_MESSAGE}` })
    code: string;

    @ApiProperty({ example: example.name })
    @IsString()
    @Length(1, 300)
    name: string;

    @ApiPropertyOptional()
    @IsOptional()
    @IsString()
    @Length(0, 5000)
    description?: string;
  }
  return CodeName;
}

export class ProvenanceDto {
  @ApiProperty({ required: false, example: 'Part B. The Growth Deal document (appendix)' })
  document?: string | null;
  @ApiProperty({ required: false })
  section?: string | null;
  @ApiProperty({ required: false })
  quote?: string | null;
  @ApiProperty({ required: false })
  printed?: string | null;
  @ApiProperty({ required: false })
  illustrative?: boolean;
}
