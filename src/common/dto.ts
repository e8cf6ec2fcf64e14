import { ApiProperty } from '@nestjs/swagger';

import { IsInt32 } from './validation';

/** Every update carries the version it was based on (optimistic locking). */
export class VersionedDto {
  @ApiProperty({ description: 'The version you read; a stale one gets 409 with the current version', example: 1 })
  @IsInt32(1)
  version: number;
}

export const CODE_PATTERN = /^[A-Z0-9][A-Z0-9_.-]{0,59}$/;
export const CODE_MESSAGE = 'must be 1-60 upper-case letters, digits, dot, dash or underscore, e.g. "ETRURIA"';

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
