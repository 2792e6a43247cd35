// A small static server for the built site (build/), bound to 127.0.0.1. Used by `pnpm site`
// (port 3000, or PORT) and by the end-to-end run (a free port).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.woff2': 'font/woff2',
};

export const BUILD_DIR = fileURLToPath(new URL('../build/', import.meta.url));

/** Resolves a URL path to a file of the build: `/docs/x` is `docs/x/index.html` or `docs/x.html`. */
function resolveFile(root, urlPath) {
  const path = normalize(decodeURIComponent(urlPath.split('?')[0])).replace(/^(\.\.[/\\])+/, '');
  for (const candidate of [path, join(path, 'index.html'), `${path}.html`]) {
    const file = join(root, candidate);
    if (file.startsWith(root) && existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

/** Starts the server; resolves to `{ url, close }` once it listens. Port 0 picks a free port. */
export function startServer({ root = BUILD_DIR, port = 0 } = {}) {
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(
      `no built site in ${root}: run \`pnpm --filter @convkit/docs build\` (or \`pnpm site\` at the root) first`,
    );
  }
  const server = createServer((request, response) => {
    const file = resolveFile(root, request.url ?? '/');
    const target = file ?? join(root, '404.html');
    response.writeHead(file ? 200 : 404, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream' });
    createReadStream(target).pipe(response);
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address();
      resolve({ url: `http://127.0.0.1:${actual}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startServer({ port: Number(process.env.PORT ?? 3000) });
  console.log(`convkit docs at ${url}/ (Ctrl+C stops)`);
}
