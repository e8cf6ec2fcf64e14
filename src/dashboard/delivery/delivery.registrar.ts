import { Injectable, OnModuleInit } from '@nestjs/common';
import { ChangeKindRegistry } from '../../changes/kinds/kind';
import { RagService } from '../../rag/rag.service';
import { DashboardSections } from '../sections';
import { lateMilestonesSection, projectMilestonesSection } from './milestones.section';
import { changeHistorySection, projectOutputsSection } from './project.sections';
import { ragSection } from './rag.section';
import { projectSpendSection, spendToDateSection } from './spend.section';

/** Puts the delivery sections (spend, RAG, milestones, outputs, change history) on the public pages. */
@Injectable()
export class DeliverySectionsRegistrar implements OnModuleInit {
  constructor(
    private readonly sections: DashboardSections,
    private readonly rag: RagService,
    private readonly kinds: ChangeKindRegistry,
  ) {}

  onModuleInit(): void {
    for (const s of [
      ragSection(this.rag),
      spendToDateSection,
      projectSpendSection,
      lateMilestonesSection,
      projectMilestonesSection,
      projectOutputsSection,
      changeHistorySection(this.kinds),
    ])
      this.sections.register(s);
  }
}
