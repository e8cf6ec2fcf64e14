import type { ChangeKindRegistry } from '../../changes/kinds/kind';
import type { PeriodsService } from '../../periods/periods.service';
import type { RagService } from '../../rag/rag.service';
import type { DashboardSectionProvider } from '../sections';
import { lateMilestonesSection, projectMilestonesSection } from './public-milestones.section';
import { changeHistorySection, projectOutputsSection } from './project.sections';
import { ragSection } from './rag.section';
import { returnsDueSection } from './returns-due.section';
import { projectSpendSection, spendToDateSection } from './spend.section';

/** The delivery sections of the public pages (spend, RAG, milestones, outputs, change history). */
export function deliverySections(
  rag: RagService,
  kinds: ChangeKindRegistry,
  periods: PeriodsService,
): DashboardSectionProvider[] {
  return [
    returnsDueSection(periods),
    ragSection(rag),
    spendToDateSection,
    projectSpendSection,
    lateMilestonesSection,
    projectMilestonesSection,
    projectOutputsSection,
    changeHistorySection(kinds),
  ];
}
