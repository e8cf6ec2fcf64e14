import { Global, Module } from '@nestjs/common';
import { ChangesModule } from '../changes/changes.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { ReturnSectionsRegistry } from './return-sections.registry';
import { ReturnsController } from './returns.controller';
import { ReturnsService } from './returns.service';

/** Global so every feature can inject ReturnSectionsRegistry and plug in its section. */
@Global()
@Module({
  imports: [ChangesModule, ReconciliationModule],
  controllers: [ReturnsController],
  providers: [ReturnsService, ReturnSectionsRegistry],
  exports: [ReturnsService, ReturnSectionsRegistry],
})
export class ReturnsModule {}
