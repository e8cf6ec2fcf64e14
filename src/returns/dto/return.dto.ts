import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  registerDecorator,
  ValidationOptions,
} from 'class-validator';
import { XLSX_TYPE } from '../../common/content-negotiation';

export class ReturnQuery {
  @ApiPropertyOptional({
    enum: ['json', 'xlsx'],
    description: 'xlsx downloads the spreadsheet (so does Accept: ' + XLSX_TYPE + ')',
    example: 'xlsx',
  })
  @IsOptional()
  @IsIn(['json', 'xlsx'])
  format?: 'json' | 'xlsx';

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: the live draft even when the quarter was submitted (to preview a resubmission)',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  live?: 'true' | 'false';
}

export class VersionFormatQuery {
  @ApiPropertyOptional({ enum: ['json', 'xlsx'], example: 'json' })
  @IsOptional()
  @IsIn(['json', 'xlsx'])
  format?: 'json' | 'xlsx';
}

/** A map of check code to a non-empty comment of at most 2,000 characters. */
function IsCommentMap(o?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCommentMap',
      target: object.constructor,
      propertyName,
      options: o,
      validator: {
        validate: (v: unknown) =>
          !!v &&
          typeof v === 'object' &&
          !Array.isArray(v) &&
          Object.entries(v as object).every(
            ([k, c]) => /^[A-Z0-9_]{1,60}$/.test(k) && typeof c === 'string' && c.trim().length > 0 && c.length <= 2000,
          ),
        defaultMessage: () =>
          'must map check codes (e.g. "DRAFT_ALLOCATIONS") to written comments of 1 to 2,000 characters',
      },
    });
}

export class SubmitReturnDto {
  @ApiPropertyOptional({
    description: 'A written comment for every warning, keyed by check code',
    example: { DRAFT_ALLOCATIONS: 'The Meaford top-up is awaiting board approval on 14 July.' },
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  @IsOptional()
  @IsCommentMap()
  comments?: Record<string, string>;

  @ApiPropertyOptional({
    description: 'Why the quarter is being resubmitted (required from version 2)',
    example: 'Etruria LGF corrected after the accountable body’s audit',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason?: string;
}
