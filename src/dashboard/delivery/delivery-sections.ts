import type { ChangeKindRegistry } from '../../changes/kinds/kind';
import type { RagService } from '../../rag/rag.service';
import type { DashboardSectionProvider } from '../sections';
import { lateMilestonesSection, projectMilestonesSection } from './public-milestones.section';
import { changeHistorySection, projectOutputsSection } from './project.sections';
import { ragSection } from './rag.section';
import { projectSpendSection, spendToDateSection } from './spend.section';

/** The delivery sections of the public pages (spend, RAG, milestones, outputs, change history). */
export function deliverySections(rag: RagService, kinds: ChangeKindRegistry): DashboardSectionProvider[] {
  return [
    ragSection(rag),
    spendToDateSection,
    projectSpendSection,
    lateMilestonesSection,
    projectMilestonesSection,
    projectOutputsSection,
    changeHistorySection(kinds),
  ];
}
