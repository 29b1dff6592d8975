// Bundles the Node server (server/main.ts and what it imports) into build/server/main.js, which plain `node` runs
// (`npm run build` runs this after `remix vite:build`). Packages stay in node_modules. The server's imports of app/
// and db/ are not bundled again: they are taken from the Remix build beside the bundle (build/server/index.js, its
// entry module's `sharedWithServer`), so the process holds one copy of each module (decision record 0033).
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sharedModule = path.join(root, 'app/shared-with-server.server.ts');
const serverBuild = path.join(root, 'build/server');
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external' };

/** What app/shared-with-server.server.ts exports (values only: types are gone once compiled). */
async function sharedNames() {
  const { metafile } = await esbuild.build({
    ...common,
    entryPoints: [sharedModule],
    alias: { '~': path.join(root, 'app') },
    outdir: path.join(root, 'build/.shared-names'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.values(metafile.outputs).flatMap((output) => output.exports);
}

const inside = (folder, file) => !path.relative(path.join(root, folder), file).startsWith('..');

/** Every import that lands in app/ or db/ reads the same name from the Remix build's shared module instead. */
function fromRemixBuild(names) {
  return {
    name: 'app-and-db-from-the-remix-build',
    setup(build) {
      build.onResolve({ filter: /^\.\/index\.js$/, namespace: 'remix-build' }, (args) => ({
        path: args.path,
        external: true,
      }));
      build.onResolve({ filter: /^[.~]/ }, (args) => {
        const target = path.resolve(args.resolveDir, args.path.replace(/^~\//, `${root}/app/`));
        if (inside('app', target) || inside('db', target))
          return { path: 'shared', namespace: 'remix-build' };
      });
      build.onLoad({ filter: /.*/, namespace: 'remix-build' }, () => ({
        contents: [
          `import { entry } from './index.js';`,
          'const shared = entry.module.sharedWithServer;',
          `if (!shared) throw new Error('build/server/index.js predates the server bundle: run npm run build');`,
          `export const { ${names.join(', ')} } = shared;`,
        ].join('\n'),
        loader: 'js',
      }));
    },
  };
}

/**
 * Bundles the server into `outfile` (a file beside the Remix build's index.js).
 * @returns {Promise<import('esbuild').Metafile>} what esbuild bundled
 */
export async function buildServer({ outfile = path.join(serverBuild, 'main.js'), write = true } = {}) {
  const result = await esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'server/main.ts')],
    outfile,
    write,
    metafile: true,
    plugins: [fromRemixBuild(await sharedNames())],
    logLevel: 'warning',
  });
  // The embedded database's thread is started from the file beside the module that opens it (db/pglite-thread.ts,
  // bundled into the Remix build).
  if (write)
    copyFileSync(
      path.join(root, 'db/pglite-worker.mjs'),
      path.join(path.dirname(outfile), 'pglite-worker.mjs'),
    );
  return result.metafile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildServer();
