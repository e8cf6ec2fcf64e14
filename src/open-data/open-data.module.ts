import { Module } from '@nestjs/common';
import { OpenDataController } from './open-data.controller';
import { OpenDataService } from './open-data.service';

@Module({ controllers: [OpenDataController], providers: [OpenDataService], exports: [OpenDataService] })
export class OpenDataModule {}
