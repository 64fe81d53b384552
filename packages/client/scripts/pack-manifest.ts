/**
 * `npm pack` / `npm publish` of @glaze/client and @glaze/react: the package.json in the tarball
 * points at the built `dist/`, the one in the repository at `src/` (tsx, Vite and vitest read the
 * TypeScript directly). npm has no per-publish override of `exports`, so `prepack` swaps the file
 * and `postpack` puts it back:
 *
 *   tsx ../client/scripts/pack-manifest.ts prepack   # package.json → exports of dist/, copy kept aside
 *   tsx ../client/scripts/pack-manifest.ts postpack  # the repository's package.json again
 *
 * Runs in the package's directory (npm runs lifecycle scripts there).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const manifest = 'package.json';
const kept = 'package.repo.json';

type Exports = Record<string, string | Record<string, string>>;

/** `./src/x.ts` → `{ types: ./dist/x.d.ts, default: ./dist/x.js }`; other targets (JSON) as they are. */
function published(exports: Exports): Exports {
  return Object.fromEntries(
    Object.entries(exports).map(([subpath, target]) => {
      const source = typeof target === 'string' ? /^\.\/src\/(.+)\.ts$/.exec(target) : null;
      if (!source) return [subpath, target];
      return [subpath, { types: `./dist/${source[1]}.d.ts`, default: `./dist/${source[1]}.js` }];
    }),
  );
}

const step = process.argv[2];
if (step === 'prepack') {
  if (existsSync(kept)) {
    throw new Error(`${kept}: left by a pack that did not finish; move it back to ${manifest} first`);
  }
  const text = readFileSync(manifest, 'utf8');
  const pkg = JSON.parse(text) as { exports?: Exports };
  if (!pkg.exports) throw new Error(`${manifest}: exports is missing`);
  const exports = published(pkg.exports);
  const root = exports['.'];
  const main = typeof root === 'object' ? { main: root.default, types: root.types } : {};
  writeFileSync(kept, text);
  writeFileSync(manifest, `${JSON.stringify({ ...pkg, ...main, exports }, null, 2)}\n`);
} else if (step === 'postpack') {
  if (!existsSync(kept)) throw new Error(`${kept}: missing, so ${manifest} was not swapped by prepack`);
  renameSync(kept, manifest);
} else {
  throw new Error(`step: expected prepack or postpack, got ${step ?? 'nothing'}`);
}
