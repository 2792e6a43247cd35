// Generates the API reference (docs/api/) from the doc comments of the packages' sources with
// TypeDoc and typedoc-plugin-markdown, so the reference is never written twice. Run by `build`.
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Application } from 'typedoc';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const out = `${root}docs/api`;
const packages = [
  { name: '@convkit/core', entry: 'packages/core/src/index.ts', tsconfig: 'packages/core/tsconfig.json' },
  { name: '@convkit/gpu', entry: 'packages/gpu/src/index.ts', tsconfig: 'packages/gpu/tsconfig.json' },
].filter((pkg) => existsSync(root + pkg.entry));

rmSync(out, { recursive: true, force: true });
const app = await Application.bootstrapWithPlugins({
  entryPoints: packages.map((pkg) => root + pkg.entry),
  tsconfig: root + packages[0].tsconfig,
  plugin: ['typedoc-plugin-markdown'],
  out,
  readme: 'none',
  name: 'API reference',
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
  logLevel: 'Warn',
  skipErrorChecking: true,
  compilerOptions: { customConditions: ['@convkit/source'], noEmit: true },
});
const project = await app.convert();
if (!project) throw new Error('typedoc could not convert the packages; see the messages above');
await app.generateOutputs(project);
console.log(`API reference for ${packages.map((pkg) => pkg.name).join(', ')} written to docs/api/`);
