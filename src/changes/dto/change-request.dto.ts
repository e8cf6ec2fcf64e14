import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import { CODE_MESSAGE, CODE_PATTERN, VersionedDto } from '../../common/dto';
import { PageQuery } from '../../common/pagination';
import { CHANGE_STATES, ChangeState } from '../change-request.entity';
import { IsOmittable, IsInt32 } from '../../common/validation';

const PAYLOAD_DOC =
  'Depends on kind. reallocation: {"lines":[{"allocationId":3,"delta":"-1000000.00"},{"allocationId":2,"delta":"1000000.00"}]} (a line may instead be {"new":{"sourceKind","project"|"pool","period","commitmentStatus","baseline"?:[{"quarter","amount"}]},"amount"} or {"headroom":"LGF","delta":"-1000000.00"} to draw from (or, positive, release to) the envelope’s headroom; lines net to 0.00, except lines that all move the same way, whose difference plainly goes to or comes from the headroom). ' +
  'reprofile_years: {"allocationId":3,"periods":[{"period":"2016-17","amount":"2000000.00"},{"period":"2017-18","amount":"2200000.00"}]}. ' +
  'envelope_change: {"sourceKind":"LGF_PROVISIONAL","delta":"1000000.00"}. add_project: {"code","name","theme","allocations":[{"sourceKind","period","amount","commitmentStatus","baseline"?:[{"quarter","amount"}]}]}. ' +
  'set_baseline: {"project":"SWAR","sourceKind":"LGF","quarters":[{"quarter":"2016-17 Q1","amount":"1000000.00"}]} (the whole profile; adds up to the allocation). ' +
  'reduce_allocation: {"allocationId":3,"amount":"100000.00","mode":"release"|"reduce_envelope","reason","reference","source"?:{"document","quote","section"?,"printed"?}}. ' +
  'withdraw_project / hold_project / reinstate_project / complete_project (put_on_hold as before): {"project":"BERICOTE"}. ' +
  'reprofile_spend: {"project":"SWAR","sourceKind":"LGF","lines":[{"quarter":"2016-17 Q3","delta":"-300000.00"},{"quarter":"2017-18 Q1","delta":"300000.00"}]} (baseline moves; net 0.00; no submitted quarter). ' +
  'rebaseline_milestone: {"milestones":[{"id":12,"baselineDate":"2016-09-30"}]}. rebaseline_target: {"targets":[{"project":"SWAR","metric":"ROAD_NEW","target":"2.500"}]} (leave out project for the programme\'s own target; value in the metric\'s unit).';

export class CreateChangeRequestDto {
  @ApiProperty({
    example: 'reallocation',
    description:
      'reallocation, reprofile_years, reprofile_spend, set_baseline, rebaseline_milestone, rebaseline_target, envelope_change, reduce_allocation, add_project, withdraw_project, hold_project, reinstate_project, complete_project, put_on_hold (and any kind other features register)',
  })
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'kind must be a change request kind such as "reallocation"' })
  kind: string;

  @ApiProperty({ example: 'Move £1m LGF from Meaford to Lichfield' })
  @IsString()
  @Length(1, 300)
  title: string;

  @ApiProperty({
    example: 'Meaford’s land purchase came in under budget; Lichfield’s bus station tender came in over.',
  })
  @IsString()
  @Length(1, 5000)
  reason: string;

  @ApiPropertyOptional({ example: 'Tender report LCC/2016/14, section 3' })
  @IsOptional()
  @IsString()
  @Length(0, 5000)
  evidence?: string;

  @ApiProperty({
    description: PAYLOAD_DOC,
    example: {
      lines: [
        { allocationId: 3, delta: '-1000000.00' },
        { allocationId: 2, delta: '1000000.00' },
      ],
    },
  })
  @IsObject()
  payload: Record<string, unknown>;
}

export class UpdateChangeRequestDto extends VersionedDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @Length(1, 300)
  title?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @Length(1, 5000)
  reason?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 5000)
  evidence?: string;

  @ApiPropertyOptional({ description: PAYLOAD_DOC })
  @IsOmittable()
  @IsObject()
  payload?: Record<string, unknown>;
}

/** Submit, approve and withdraw may carry the version read (stale → 409) and a reason. */
export class StepDto {
  @ApiPropertyOptional({ example: 2, description: 'the version you read; a stale one gets 409' })
  @IsOptional()
  @IsInt32(1)
  version?: number;

  @ApiPropertyOptional({ example: 'Board meeting 14 March 2016, item 5' })
  @IsOptional()
  @IsString()
  @Length(1, 5000)
  reason?: string;
}

/** Rejection always says why. */
export class RejectDto {
  @ApiPropertyOptional({ example: 2 })
  @IsOptional()
  @IsInt32(1)
  version?: number;

  @ApiProperty({ example: 'The tender evidence does not support the overspend' })
  @IsString()
  @Length(1, 5000)
  reason: string;
}

export class ChangeRequestQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CHANGE_STATES })
  @IsOptional()
  @IsIn(CHANGE_STATES)
  state?: ChangeState;

  @ApiPropertyOptional({ example: 'reallocation' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'kind must be a change request kind such as "reallocation"' })
  kind?: string;

  @ApiPropertyOptional({ example: 'MEAFORD', description: 'changes that touch this project' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `project ${CODE_MESSAGE}` })
  project?: string;
}
