import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Config } from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';
import { themes as prismThemes } from 'prism-react-renderer';
import conformancePlugin from './scripts/conformance-plugin';

const require = createRequire(import.meta.url);
const gpuStub = fileURLToPath(new URL('./src/live/gpu-unavailable.ts', import.meta.url));

/**
 * True when `@convkit/gpu` is a dependency of this app. A declared but unbuilt package stops the
 * build, so a site without its GPU column is never produced by accident.
 */
function gpuPackageAvailable(): boolean {
  const manifest = require('./package.json') as { dependencies?: Record<string, string> };
  if (!manifest.dependencies?.['@convkit/gpu']) return false;
  try {
    require.resolve('@convkit/gpu');
    return true;
  } catch {
    throw new Error(
      '@convkit/gpu is a dependency of the docs but is not built: run `pnpm build` (turbo builds it first)',
    );
  }
}

const config: Config = {
  title: 'convkit',
  tagline: 'The whole convolution family, live in your browser',
  url: 'http://127.0.0.1',
  baseUrl: '/',
  onBrokenLinks: 'throw',
  favicon: 'img/logo.svg',
  markdown: {
    // `.md` files (the generated API reference among them) are CommonMark; `.mdx` pages are MDX.
    format: 'detect',
    hooks: { onBrokenMarkdownLinks: 'throw' },
  },
  presets: [
    [
      'classic',
      {
        docs: {
          path: '../../docs',
          routeBasePath: 'docs',
          sidebarPath: './sidebars.ts',
        },
        blog: false,
        theme: { customCss: './src/css/custom.css' },
      } satisfies Preset.Options,
    ],
  ],
  themes: [
    [
      // Offline search: the index is built with the site and searched in the browser (lunr).
      '@easyops-cn/docusaurus-search-local',
      { hashed: true, docsRouteBasePath: 'docs', indexBlog: false, highlightSearchTermsOnTargetPage: true },
    ],
  ],
  plugins: [
    conformancePlugin,
    function convkitWebpack() {
      return {
        name: 'convkit-webpack',
        configureWebpack(_config, isServer) {
          // gpu.js touches `window` and WebGL when it loads, so the static (server) build never
          // bundles it; in the browser it is imported lazily by the live runner only when asked.
          const useStub = isServer || !gpuPackageAvailable();
          return useStub ? { resolve: { alias: { '@convkit/gpu$': gpuStub } } } : {};
        },
      };
    },
  ],
  themeConfig: {
    colorMode: { respectPrefersColorScheme: true },
    navbar: {
      title: 'convkit',
      logo: { alt: 'convkit', src: 'img/logo.svg' },
      items: [
        { type: 'docSidebar', sidebarId: 'guide', position: 'left', label: 'Guide' },
        { to: '/docs/api', label: 'API', position: 'left' },
        { to: '/docs/tools/visualiser', label: 'Visualiser', position: 'left' },
      ],
    },
    footer: {
      style: 'dark',
      copyright: `convkit, MIT licensed. Every number on this site is computed by @convkit/core.`,
    },
    prism: { theme: prismThemes.github, darkTheme: prismThemes.dracula, additionalLanguages: ['python'] },
  } satisfies Preset.ThemeConfig,
};

export default config;
