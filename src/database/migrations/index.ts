import { Foundation1760000000000 } from './1760000000000-foundation';
import { ReturnVersions1760000050000 } from './1760000050000-return-versions';
import { ChangeRequests1760000150000 } from './1760000150000-change-requests';
import { Delivery1760000100000 } from './1760000100000-delivery';
import { Auth1760000400000 } from './1760000400000-auth';
import { OpenDataAssumptions1760000500000 } from './1760000500000-open-data-assumptions';
import { ScaleIndexes1760000600000 } from './1760000600000-scale-indexes';
import { NationalReturnIndexes1760000650000 } from './1760000650000-national-return-indexes';
import { GroupedAggregateIndexes1760000660000 } from './1760000660000-grouped-aggregate-indexes';
import { CoreSourceKinds1781000000000 } from './1781000000000-core-source-kinds';
import { Repayments1781000100000 } from './1781000100000-repayments';
import { StaffWeb1785000000000 } from './1785000000000-staff-web';
import { QuarterlyUpdates1785500000000 } from './1785500000000-quarterly-updates';
import { AllocationChangeRequest1793000000000 } from './1793000000000-allocation-change-request';
import { AuditEntryProject1794300000000 } from './1794300000000-audit-entry-project';
import { SpendAdjustmentProvenance1794300100000 } from './1794300100000-spend-adjustment-provenance';
import { MonitoringEnd1794500000000 } from './1794500000000-monitoring-end';
import { ChangeRequestIllustrative1795300000000 } from './1795300000000-change-request-illustrative';
import { TwoClocks1795200000000 } from './1795200000000-two-clocks';
import { ReturnComments1795600000000 } from './1795600000000-return-comments';
import { ProjectRisks1795700000000 } from './1795700000000-project-risks';
import { DemoProgrammeTime1796010000000 } from './1796010000000-demo-programme-time';
import { UpdateSpendConfirmation1796040000000 } from './1796040000000-update-spend-confirmation';
import { ReturnSnapshotPieces1796100000000 } from './1796100000000-return-snapshot-pieces';

/** Every migration in order; the app and the migration CLI run exactly these. */
export const MIGRATIONS = [
  Foundation1760000000000,
  ReturnVersions1760000050000,
  Delivery1760000100000,
  ChangeRequests1760000150000,
  Auth1760000400000,
  OpenDataAssumptions1760000500000,
  ScaleIndexes1760000600000,
  NationalReturnIndexes1760000650000,
  GroupedAggregateIndexes1760000660000,
  CoreSourceKinds1781000000000,
  Repayments1781000100000,
  StaffWeb1785000000000,
  QuarterlyUpdates1785500000000,
  AllocationChangeRequest1793000000000,
  AuditEntryProject1794300000000,
  SpendAdjustmentProvenance1794300100000,
  MonitoringEnd1794500000000,
  TwoClocks1795200000000,
  ChangeRequestIllustrative1795300000000,
  ReturnComments1795600000000,
  ProjectRisks1795700000000,
  DemoProgrammeTime1796010000000,
  UpdateSpendConfirmation1796040000000,
  ReturnSnapshotPieces1796100000000,
];
