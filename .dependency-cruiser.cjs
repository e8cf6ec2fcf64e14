/**
 * The architecture, as rules: `npm run depcruise` (part of `npm test`) fails on any cycle and
 * on any import that points up the layers. Read the LAYERS list from the bottom up: each layer
 * may import its own layer and the layers before it, never a later one.
 *
 *   common → foundation (database, auth, audit writer) → deal → delivery → changes
 *          → reporting → loading / cli / web → generator, bench, composition root
 *
 * A feature's command-line adapter (`<feature>.cli.ts`) sits in the cli layer whatever its
 * folder: it may use its feature, the feature never uses it.
 */
/** Not a command-line adapter: `<feature>.cli.ts` files belong to the cli layer. */
const NOT_CLI = '(?!.*[.]cli[.]ts$)';

/** Layers, lowest first; each file of src/ is in exactly one. */
const LAYERS = [
  { name: 'common', path: `^src/(common|config|xlsx)/${NOT_CLI}` },
  {
    name: 'foundation',
    path: `^src/(database|auth)/${NOT_CLI}|^src/audit/(actor|audit[.]service|audit-entry[.]entity|audit[.]module)[.]ts$`,
  },
  { name: 'deal', path: `^src/(organisations|programmes|projects|funding|headlines|periods)/${NOT_CLI}` },
  { name: 'delivery', path: `^src/(spend|milestones|outputs|risks|rag|partner-updates|quarterly-updates)/${NOT_CLI}` },
  { name: 'changes', path: `^src/changes/${NOT_CLI}` },
  {
    name: 'reporting',
    path: `^src/(reconciliation|returns|dashboard|open-data|national-return|health)/${NOT_CLI}|^src/audit/audit-trail[.]`,
  },
  {
    name: 'loading-cli-web',
    path: '^src/(deal-loading|demo|web)/|^src/cli/(?!commands[.]ts$)|^src/(?!generator/|bench/).*[.]cli[.]ts$',
  },
  { name: 'top', path: '^src/(generator|bench)/|^src/[^/]+[.]ts$|^src/cli/commands[.]ts$' },
];

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `not-up-from-${layer.name}`,
  comment: `${layer.name} may not import ${LAYERS.slice(i + 1)
    .map((l) => l.name)
    .join(', ')}`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: LAYERS.slice(i + 1).map((l) => `(${l.path})`).join('|') },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Dependencies point one way: no import cycle, however long.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    {
      name: 'no-unresolvable',
      comment: 'Every import resolves (a typo in a path is an error, not a silent skip).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'every-file-has-a-layer',
      comment: 'A new folder of src/ must be placed in a layer above.',
      severity: 'error',
      from: { path: '^src/', pathNot: LAYERS.map((l) => `(${l.path})`).join('|') },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Specs are tests; src/web/assets/ is browser-side script, not a server module.
    exclude: { path: '[.]spec[.]ts$|^src/web/assets/.*[.]js$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
