// The layers of src/, as docs/architecture.md draws them, checked on every `npm run lint`.
// A file may import its own layer and the layers below it, never the ones above.

const layer = {
  infrastructure: '^src/((config|zoho-names|logger|lean-runtime|metrics|readable)[.]ts$|(crypto|db|redis|queue)/)',
  edges: '^src/(woocommerce|zoho)/',
  domain: '^src/sync/',
  useCases: '^src/(use-cases|backfill|access|sync-log|alerts)/',
  delivery: '^src/(http|jobs|cli)/',
  // cli/index.ts and cli/context.ts build the CLI process the way main.ts builds the others.
  root: '^src/((services|app|http-wiring|server|worker|main|startup)[.]ts|cli/(index|context)[.]ts)$',
};
const above = (...names) => names.map((name) => layer[name]);

/**
 * Imports the layers allow against their rules, one edge each: `from` may import `to`, nothing
 * else. Empty, and meant to stay so: an entry needs a reason written next to it.
 */
const KNOWN_EXCEPTIONS = [];

/** `rule` for every file, except the exact edges KNOWN_EXCEPTIONS allows. */
function withKnownExceptions(rule) {
  const fromPath = new RegExp(rule.from.path);
  const toPath = new RegExp(rule.to.path);
  const apply = KNOWN_EXCEPTIONS.filter((exception) => matchesSome(fromPath, exception.from) && matchesSome(toPath, exception.to));
  if (apply.length === 0) return [rule];
  return [
    { ...rule, from: { ...rule.from, pathNot: [rule.from.pathNot, ...apply.map((exception) => exception.from)].filter(Boolean).join('|') } },
    ...apply.map((exception) => ({
      ...rule,
      from: { ...rule.from, path: exception.from },
      to: { ...rule.to, pathNot: exception.to },
    })),
  ];
}

/** Loose overlap test between a rule's pattern and an exception's, on the paths that exist in src/. */
function matchesSome(rulePattern, exceptionPattern) {
  return SRC_SAMPLE.some((path) => rulePattern.test(path) && new RegExp(exceptionPattern).test(path));
}
const SRC_SAMPLE = require('node:fs')
  .readdirSync('src', { recursive: true })
  .map((path) => `src/${String(path).replaceAll('\\', '/')}`);

/** One rule per folder: it may not import the other folders of its group. */
function apart(name, comment, folders, except) {
  return folders.map((folder) => ({
    name,
    comment,
    severity: 'error',
    from: { path: `^src/${folder}/`, ...(except ? { pathNot: except } : {}) },
    to: { path: `^src/(${folders.filter((other) => other !== folder).join('|')})/` },
  }));
}

const forbidden = [
  {
    name: 'no-circular',
    comment: 'A circle makes two files one: neither can be read, tested or moved alone.',
    severity: 'error',
    from: { path: '^src/' },
    to: { circular: true },
  },
  {
    name: 'src-not-test-or-tools',
    comment: 'The service never depends on its tests, simulators, benchmarks or scripts.',
    severity: 'error',
    from: { path: '^src/' },
    to: { path: '^(test|tools|bench|scripts)/' },
  },
  {
    name: 'test-only-from-test',
    comment: 'What bench/, scripts/ and tools/ share with the tests lives in tools/, not test/.',
    severity: 'error',
    from: { pathNot: '^test/' },
    to: { path: '^test/' },
  },
  {
    name: 'prisma-only-in-db',
    comment: 'Prisma (its packages, the generated client, the client instance) is used only inside src/db/.',
    severity: 'error',
    from: { path: '^src/', pathNot: `^src/db/|${layer.root}` },
    to: { path: '^src/db/(client[.]ts$|generated/)|node_modules/(@prisma/|prisma/)' },
  },
  {
    name: 'infrastructure-below-the-rest',
    comment: 'Configuration and infrastructure know nothing of WooCommerce, Zoho, the rules or the use cases.',
    severity: 'error',
    from: { path: layer.infrastructure },
    to: { path: above('edges', 'domain', 'useCases', 'delivery', 'root').join('|') },
  },
  {
    name: 'edges-below-the-domain',
    comment: 'The WooCommerce and Zoho edges describe those systems; they do not apply the rules.',
    severity: 'error',
    from: { path: layer.edges },
    to: { path: above('domain', 'useCases', 'delivery', 'root').join('|') },
  },
  ...apart('edges-apart', 'WooCommerce and Zoho never import each other; the domain joins them.', ['woocommerce', 'zoho']),
  {
    name: 'domain-below-use-cases',
    comment: 'The rules decide; they do not know who asked or how.',
    severity: 'error',
    from: { path: layer.domain },
    to: { path: above('useCases', 'delivery', 'root').join('|') },
  },
  {
    name: 'use-cases-below-delivery',
    comment: 'A use case runs the same from a route, a job or the CLI.',
    severity: 'error',
    from: { path: layer.useCases },
    to: { path: above('delivery', 'root').join('|') },
  },
  ...apart('delivery-mechanisms-apart', 'HTTP, jobs and the CLI share use cases, never each other.', ['http', 'jobs', 'cli'], layer.root),
  {
    name: 'delivery-below-the-root',
    comment: 'Only the composition root knows how everything is built.',
    severity: 'error',
    from: { path: layer.delivery, pathNot: layer.root },
    to: { path: layer.root },
  },
  {
    name: 'src-not-dev-dependencies',
    comment: 'Production installs skip devDependencies: the service must not need them.',
    severity: 'error',
    from: { path: '^src/' },
    to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'not-to-unresolvable',
    comment: 'An import that resolves to nothing fails at run time.',
    severity: 'error',
    from: {},
    to: { couldNotResolve: true },
  },
].flatMap(withKnownExceptions);

module.exports = {
  forbidden,
  options: {
    // The generated Prisma client is read as an import target, never cruised itself.
    doNotFollow: { path: ['node_modules', '^src/db/generated/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
