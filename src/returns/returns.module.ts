import { Module } from '@nestjs/common';
import { ReturnsController } from './returns.controller';
import { ReturnsCoreModule } from './returns-core.module';

/** The quarterly return: every section is in returns/sections/, composed by ReturnsService (ReturnsCoreModule); here its API. */
@Module({
  imports: [ReturnsCoreModule],
  controllers: [ReturnsController],
  exports: [ReturnsCoreModule],
})
export class ReturnsModule {}
