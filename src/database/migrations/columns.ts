import { TableColumnOptions, TableForeignKeyOptions } from 'typeorm';

/** Small builders so migrations read as a list of columns and work on both databases. */
export const col = {
  id: (): TableColumnOptions => ({
    name: 'id',
    type: 'integer',
    isPrimary: true,
    isGenerated: true,
    generationStrategy: 'increment',
  }),
  int: (name: string, nullable = false, dflt?: number): TableColumnOptions => ({
    name,
    type: 'integer',
    isNullable: nullable,
    default: dflt,
  }),
  bigint: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable }),
  str: (name: string, length: number, nullable = false, dflt?: string): TableColumnOptions => ({
    name,
    type: 'varchar',
    length: String(length),
    isNullable: nullable,
    default: dflt === undefined ? undefined : `'${dflt}'`,
  }),
  text: (name: string, nullable = true): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
  bool: (name: string, dflt = false): TableColumnOptions => ({
    name,
    type: 'boolean',
    isNullable: false,
    default: dflt,
  }),
  version: (): TableColumnOptions => ({ name: 'version', type: 'integer', isNullable: false, default: 1 }),
  provenance: (): TableColumnOptions[] => [
    { name: 'source_document', type: 'varchar', length: '200', isNullable: true },
    { name: 'source_section', type: 'varchar', length: '300', isNullable: true },
    { name: 'source_quote', type: 'text', isNullable: true },
    { name: 'source_printed', type: 'varchar', length: '50', isNullable: true },
    { name: 'source_illustrative', type: 'boolean', isNullable: false, default: false },
  ],
};

export const fk = (
  column: string,
  table: string,
  onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL' = 'RESTRICT',
  refColumn = 'id',
): TableForeignKeyOptions => ({
  columnNames: [column],
  referencedTableName: table,
  referencedColumnNames: [refColumn],
  onDelete,
});
