// Layer order of README "Development": data flows one way, lex → parse → assemble →
// chains → flows → stats → rules → explain → diff → report. A module may import its own layer and the
// layers before it, never a later one — type-only imports included — and no cycles.
const layers = [
  ['base', '^src/(core|model|rows|secrets)/|^src/version\\.ts$|^src/redact/spans\\.ts$'],
  ['input', '^src/input/'],
  ['lex', '^src/lex/'],
  ['parse', '^src/(parse|records)/'],
  ['assemble', '^src/chain/(assembler|own|http|catalog)\\.ts$|^src/chain/assemble/|^src/service/|^src/analyze\\.ts$'],
  ['chains', '^src/chain/(chains|merge|node-groups)\\.ts$'],
  ['flows', '^src/flows/'],
  ['stats', '^src/stats/'],
  ['rules', '^src/(engine|rules|config)/'],
  ['explain', '^src/explain/'],
  ['diff', '^src/diff/'],
  ['report', '^src/report/'],
  ['app', '^src/pipeline\\.ts$|^src/redact/redact\\.ts$|^src/cli/'],
];

const backEdges = layers.slice(0, -1).map(([name, path], i) => ({
  name: `layer-${name}`,
  comment: `${name} comes before ${layers
    .slice(i + 1)
    .map(([n]) => n)
    .join(', ')} and must not import them`,
  severity: 'error',
  from: { path },
  to: {
    path: layers
      .slice(i + 1)
      .map(([, p]) => `(${p})`)
      .join('|'),
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'no import cycle, not even type-only',
      from: {},
      to: { circular: true },
    },
    {
      name: 'every-module-in-a-layer',
      severity: 'error',
      comment: 'a new folder under src/ gets its place in the layer list above',
      from: { path: '^src/', pathNot: layers.map(([, p]) => `(${p})`).join('|') },
      to: {},
    },
    ...backEdges,
    {
      name: 'result-schemas-on-demand',
      severity: 'error',
      comment:
        "the result's zod schemas are built when loaded: only `ostrace schema` loads them, on demand (8 MB of every run otherwise); types are free",
      from: { path: '^src/', pathNot: '^src/model/' },
      to: {
        path: '^src/model/(schema|chain-schema|explain-schema|flow-schema|stats-schema|service-schema|cause-schema)\\.ts$',
        dependencyTypesNot: ['type-only', 'dynamic-import'],
      },
    },
    {
      name: 'zod-mini-only',
      severity: 'error',
      comment:
        "schemas are written with zod's mini build, through src/core/zod.ts (which sets its English messages): the full build costs every thread 5 MB",
      from: { path: '^src/', pathNot: '^src/core/zod\\.ts$' },
      to: { path: '(^|/)node_modules/zod/' },
    },
    {
      name: 'zod-mini-build',
      severity: 'error',
      comment: "src/core/zod.ts is zod's mini build and its English locale, never the full build",
      from: { path: '^src/core/zod\\.ts$' },
      to: { path: '(^|/)node_modules/zod/', pathNot: '(^|/)node_modules/zod/(mini|locales)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
