import { PERIOD_PATTERN } from '../funding/period';
/** JSON Schema of a deal seed file (seeds/*.json), checked with ajv before anything is written. */
const provenance = {
  type: 'object',
  additionalProperties: false,
  // section is optional, as on the API's money routes (one vocabulary).
  required: ['document', 'quote'],
  properties: {
    document: { type: 'string', minLength: 1 },
    section: { type: 'string', minLength: 1 },
    quote: { type: 'string', minLength: 1 },
    printed: { type: 'string', minLength: 1 },
  },
};
const code = { type: 'string', pattern: '^[A-Z0-9][A-Z0-9_.-]{0,59}$' };
const pounds = { type: 'string', pattern: '^-?(0|[1-9][0-9]*)\\.[0-9]{2}$' };

export const DEAL_SEED_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'programme', 'themes', 'projects', 'allocations', 'headlines'],
  properties: {
    $comment: { type: 'string' },
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,99}$' },
    illustrative: { type: 'boolean' },
    programme: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'name', 'startsOn', 'endsOn', 'firstQuarter'],
      properties: {
        code,
        name: { type: 'string', minLength: 1 },
        description: { type: 'string' },
        lep: code,
        startsOn: { type: 'string' },
        endsOn: { type: 'string' },
        monitoringEndsOn: { type: 'string' },
        firstQuarter: { type: 'string' },
        asOfDate: { type: 'string' },
        synthetic: { type: 'boolean' },
        source: provenance,
      },
    },
    organisations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'name', 'kind'],
        properties: {
          code,
          name: { type: 'string', minLength: 1 },
          kind: { enum: ['lep', 'council', 'government', 'private', 'university', 'chamber', 'other'] },
          identifier: { type: ['string', 'null'] },
          identifierAssumed: { type: 'boolean' },
        },
      },
    },
    themes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'name'],
        properties: {
          code,
          name: { type: 'string', minLength: 1 },
          description: { type: 'string' },
          source: provenance,
        },
      },
    },
    projects: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'name'],
        properties: {
          code,
          name: { type: 'string', minLength: 1 },
          theme: code,
          description: { type: ['string', 'null'] },
          location: { type: ['string', 'null'] },
          status: { enum: ['pipeline', 'approved', 'in_delivery', 'complete', 'withdrawn'] },
          leadBody: { anyOf: [code, { type: 'null' }] },
          source: provenance,
        },
      },
    },
    pools: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'name', 'projects'],
        properties: {
          code,
          name: { type: 'string', minLength: 1 },
          theme: code,
          description: { type: 'string' },
          projects: { type: 'array', minItems: 1, items: code },
          source: provenance,
        },
      },
    },
    allocations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['ref', 'sourceKind', 'period', 'amount', 'commitmentStatus'],
        properties: {
          ref: code,
          sourceKind: code,
          project: code,
          pool: code,
          period: { type: 'string', pattern: PERIOD_PATTERN.source },
          amount: pounds,
          commitmentStatus: { enum: ['confirmed', 'provisional', 'indicative', 'withdrawn'] },
          description: { type: 'string' },
          source: provenance,
        },
      },
    },
    headlines: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'measure', 'label', 'qualifier', 'unit', 'precision', 'rule', 'source'],
        properties: {
          code,
          measure: code,
          label: { type: 'string', minLength: 1 },
          qualifier: { enum: ['exact', 'at_least', 'about'] },
          unit: { enum: ['pounds', 'jobs', 'homes', 'projects', 'sites'] },
          amount: pounds,
          value: { type: 'integer', minimum: 0 },
          precision: { anyOf: [pounds, { type: 'integer', minimum: 1 }] },
          rule: { type: 'object' },
          table: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'row', 'column'],
            properties: { name: { type: 'string' }, row: { type: 'string' }, column: { type: 'string' } },
          },
          notes: { type: 'string' },
          source: provenance,
        },
      },
    },
    commitments: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'title', 'owner', 'due'],
        properties: {
          code,
          title: { type: 'string' },
          owner: { enum: ['lep', 'government'] },
          due: { type: 'string' },
          dueWords: { type: 'string' },
          dueInterpreted: { type: 'boolean' },
          source: provenance,
        },
      },
    },
  },
} as const;
