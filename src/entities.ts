import { AuditEntry } from './audit/audit-entry.entity';
import { ApiToken } from './auth/api-token.entity';
import { SignInThrottle, User, UserProject } from './auth/user.entity';
import { WebSession } from './auth/web-session.entity';
import { Allocation } from './funding/allocation.entity';
import { SourceKind } from './funding/source-kind.entity';
import { HeadlineFigure } from './headlines/headline-figure.entity';
import { Organisation } from './organisations/organisation.entity';
import { Programme } from './programmes/programme.entity';
import { Theme } from './programmes/theme.entity';
import { ProjectPool } from './projects/project-pool.entity';
import { Project } from './projects/project.entity';
import { ReturnVersion } from './periods/return-version.entity';
import { ReturnSnapshotPiece } from './periods/return-snapshot-piece.entity';
import { ReturnComment } from './returns/return-comment.entity';
import { SeedRun } from './deal-loading/seed-run.entity';
import { ChangeRequest } from './changes/change-request.entity';
import { ProgrammeEnvelope } from './changes/programme-envelope.entity';
import { SpendAdjustment, SpendProfileLine } from './spend/spend.entities';
import { Milestone } from './milestones/milestone.entity';
import { OutputActual, OutputMetric, OutputTarget } from './outputs/output.entities';
import { QuarterlyUpdate } from './quarterly-updates/quarterly-update.entity';
import { ProjectRisk } from './risks/risk.entity';
import { OpenDataAssumption } from './open-data/open-data-assumption.entity';

/** Every entity, listed explicitly (globs break under bundlers and test transforms). */
export const ENTITIES = [
  Organisation,
  Programme,
  Theme,
  Project,
  ProjectPool,
  SourceKind,
  Allocation,
  HeadlineFigure,
  SeedRun,
  AuditEntry,
  ReturnVersion,
  ReturnSnapshotPiece,
  ReturnComment,
  ChangeRequest,
  ProgrammeEnvelope,
  SpendProfileLine,
  SpendAdjustment,
  Milestone,
  OutputMetric,
  OutputTarget,
  OutputActual,
  User,
  UserProject,
  ApiToken,
  SignInThrottle,
  WebSession,
  OpenDataAssumption,
  QuarterlyUpdate,
  ProjectRisk,
];
