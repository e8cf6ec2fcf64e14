import { Module } from '@nestjs/common';
import { NationalReturnService } from './national-return.service';

@Module({ providers: [NationalReturnService], exports: [NationalReturnService] })
export class NationalReturnModule {}
