import { Module } from '@nestjs/common';
import { DealLoadingModule } from '../deal-loading/deal-loading.module';
import { GeneratorService } from './generator.service';

@Module({ imports: [DealLoadingModule], providers: [GeneratorService], exports: [GeneratorService] })
export class GeneratorModule {}
