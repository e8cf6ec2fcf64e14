import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

/**
 * Provenance as every money route and a deal file accept it (one vocabulary): the document, the
 * words quoted, optionally its section and the figure exactly as printed inside the quote.
 */
export class SourceDto {
  @ApiProperty({ example: 'Growth Deal letter, July 2014' }) @IsString() @Length(1, 200) document: string;
  @ApiPropertyOptional({ example: 'Annex A' }) @IsOptional() @IsString() @Length(0, 300) section?: string;
  @ApiProperty({ example: 'Meaford employment site (£4.2m)' }) @IsString() @Length(1, 5000) quote: string;
  @ApiPropertyOptional({ example: '£4.2m' }) @IsOptional() @IsString() @Length(1, 50) printed?: string;
}
