// Builds the package with the TypeScript of the repository around it (`npm run build` here, or
// `npm run sdk:build` at the root): ES modules with declarations in dist/esm (type-checked), and
// the same modules as CommonJS in dist/cjs (transpiled from the same sources, same declarations).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ts = require('typescript');
const here = new URL('.', import.meta.url);
const at = (path) => new URL(path, here);

rmSync(at('dist'), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: here, stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

mkdirSync(at('dist/cjs'), { recursive: true });
const sources = ['index.ts', 'errors.ts', 'generated.ts'];
for (const source of sources) {
  const { outputText } = ts.transpileModule(readFileSync(at(source), 'utf8'), {
    fileName: source,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, useDefineForClassFields: false, esModuleInterop: true },
  });
  writeFileSync(at(`dist/cjs/${source.replace(/\.ts$/, '.js')}`), outputText);
}
for (const file of readdirSync(at('dist/esm')).filter((f) => f.endsWith('.d.ts'))) copyFileSync(at(`dist/esm/${file}`), at(`dist/cjs/${file}`));
// Files under dist/cjs are CommonJS whatever this package's "type" says.
writeFileSync(at('dist/cjs/package.json'), '{ "type": "commonjs" }\n');
