import { Global, Module } from '@nestjs/common';
import { BulkImportService } from './bulk-import.service';

@Global()
@Module({ providers: [BulkImportService], exports: [BulkImportService] })
export class BulkImportModule {}
