// Generates the API reference (docs/api/) from the doc comments of the packages' sources with
// TypeDoc and typedoc-plugin-markdown, so the reference is never written twice. Run by `build`.
// One TypeDoc run per package (with the package's own tsconfig), into docs/api/<package>/.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Application } from 'typedoc';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const out = `${root}docs/api`;
const packages = ['core', 'gpu']
  .map((folder) => ({ folder, dir: `${root}packages/${folder}/` }))
  .filter(({ dir }) => existsSync(`${dir}src/index.ts`))
  .map((pkg) => ({ ...pkg, manifest: JSON.parse(readFileSync(`${pkg.dir}package.json`, 'utf8')) }));

// Sidebar labels and order for the folders TypeDoc writes ('functions' -> 'Functions', ...).
const LABELS = {
  functions: 'Functions',
  interfaces: 'Interfaces',
  'type-aliases': 'Types',
  classes: 'Classes',
  variables: 'Constants',
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const [index, pkg] of packages.entries()) {
  const target = `${out}/${pkg.folder}`;
  const app = await Application.bootstrapWithPlugins({
    entryPoints: [`${pkg.dir}src/index.ts`],
    tsconfig: `${pkg.dir}tsconfig.json`,
    plugin: ['typedoc-plugin-markdown'],
    out: target,
    readme: 'none',
    name: pkg.manifest.name,
    entryFileName: 'index',
    excludePrivate: true,
    excludeInternal: true,
    disableSources: true,
    hidePageHeader: true,
    hideBreadcrumbs: true,
    useCodeBlocks: true,
    parametersFormat: 'table',
    interfacePropertiesFormat: 'table',
    typeDeclarationFormat: 'table',
    sanitizeComments: true,
    pageTitleTemplates: { member: '{name}' },
    logLevel: 'Warn',
    skipErrorChecking: true,
    compilerOptions: { customConditions: ['@convkit/source'], noEmit: true },
  });
  const project = await app.convert();
  if (!project) throw new Error(`typedoc could not convert ${pkg.manifest.name}; see the messages above`);
  await app.generateOutputs(project);
  writeFileSync(
    `${target}/_category_.json`,
    JSON.stringify({
      label: pkg.manifest.name,
      position: index + 1,
      link: { type: 'doc', id: `api/${pkg.folder}/index` },
    }),
  );
  for (const entry of readdirSync(target)) {
    if (!statSync(`${target}/${entry}`).isDirectory()) continue;
    const position = Object.keys(LABELS).indexOf(entry) + 1 || 99;
    writeFileSync(`${target}/${entry}/_category_.json`, JSON.stringify({ label: LABELS[entry] ?? entry, position }));
  }
}
writeFileSync(
  `${out}/index.md`,
  [
    '---',
    'title: API reference',
    'sidebar_position: 0',
    '---',
    '',
    '# API reference',
    '',
    "Generated from the doc comments of the sources by TypeDoc; every example here is also run by the packages' tests.",
    '',
    ...packages.map((pkg) => `- [\`${pkg.manifest.name}\`](./${pkg.folder}/index.md): ${pkg.manifest.description}`),
    '',
  ].join('\n'),
);
console.log(`API reference for ${packages.map((pkg) => pkg.manifest.name).join(', ')} written to docs/api/`);
