import { Global, Module } from '@nestjs/common';
import { PeriodsService } from './periods.service';

@Global()
@Module({ providers: [PeriodsService], exports: [PeriodsService] })
export class PeriodsModule {}
