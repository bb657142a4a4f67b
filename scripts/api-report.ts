// pnpm api-report: what each published package exports, as API Extractor reports (packages/<p>/etc/<entry>.api.md),
// read from the built .d.ts of every entry its package.json `exports` lists. `--check` only compares (a test runs
// it), so a change to what a package exports shows up in review as a change to its report. Run `pnpm build` first.
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const root = fileURLToPath(new URL('../', import.meta.url));
const REPORT_FOLDER = 'etc';

export interface Entry {
  /** The package's folder under packages/. */
  folder: string;
  /** The subpath in `exports`: `.`, `./options`... */
  subpath: string;
  /** The built declaration file, from the package's folder. */
  types: string;
  /** The report's base name: `index` for `.`, else the subpath's name. */
  report: string;
}

type Conditions = string | { types?: string; import?: Conditions; default?: Conditions } | null;

/** The declaration file an `exports` target names for `import`, if any. */
function typesOf(target: Conditions): string | undefined {
  if (!target || typeof target === 'string') return undefined;
  return target.types ?? typesOf(target.import ?? null);
}

/** Every entry with types of every package that is published (not private). */
export async function entries(): Promise<Entry[]> {
  const found: Entry[] = [];
  for (const folder of (await readdir(join(root, 'packages'))).sort()) {
    const path = join(root, 'packages', folder, 'package.json');
    const manifest = JSON.parse(await readFile(path, 'utf8').catch(() => '{}'));
    if (manifest.private || !manifest.exports) continue;
    for (const [subpath, target] of Object.entries(manifest.exports as Record<string, Conditions>)) {
      const types = typesOf(target);
      const report = subpath === '.' ? 'index' : subpath.replace(/^\.\//, '').replace(/\//g, '-');
      if (types) found.push({ folder, subpath, types, report });
    }
  }
  return found;
}

/** Writes (or with `check`, compares) one entry's report; a problem as a sentence, or nothing. */
async function report(entry: Entry, check: boolean, temp: string): Promise<string | undefined> {
  const projectFolder = join(root, 'packages', entry.folder);
  if (!check) await mkdir(join(projectFolder, REPORT_FOLDER), { recursive: true });
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder,
      mainEntryPointFilePath: join(projectFolder, entry.types),
      compiler: {
        overrideTsconfig: {
          // skipLibCheck: the entries are declaration files, checked when they were built
          compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, skipLibCheck: true, types: ['node'] },
          files: [join(projectFolder, entry.types)],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: entry.report,
        reportFolder: join(projectFolder, REPORT_FOLDER),
        reportTempFolder: join(temp, entry.folder),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        extractorMessageReporting: {
          default: { logLevel: ExtractorLogLevel.None },
          // the reports name what they leave out; the TSDoc of our sources is not written for API Extractor
        },
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
        compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: join(projectFolder, 'package.json'),
  });
  const errors: string[] = [];
  const result = Extractor.invoke(config, {
    localBuild: !check,
    messageCallback: (message) => {
      if (message.logLevel === ExtractorLogLevel.Error) errors.push(message.text);
      message.handled = true;
    },
  });
  const name = `packages/${entry.folder}/${REPORT_FOLDER}/${entry.report}.api.md`;
  const failed = errors.length || (!result.succeeded && !result.apiReportChanged);
  if (failed) return `${name}: ${errors.join('; ') || 'API Extractor failed'}`;
  if (check && result.apiReportChanged)
    return `${name} is out of date (what ${entry.subpath} of ${entry.folder} exports changed): run pnpm api-report`;
  return undefined;
}

/** Reports in a package's report folder that no entry makes any more (an entry removed from `exports`). */
async function strays(all: Entry[], check: boolean): Promise<string[]> {
  const problems: string[] = [];
  for (const folder of new Set(all.map((entry) => entry.folder))) {
    const dir = join(root, 'packages', folder, REPORT_FOLDER);
    const wanted = new Set(all.filter((entry) => entry.folder === folder).map((entry) => `${entry.report}.api.md`));
    for (const file of await readdir(dir).catch(() => [] as string[])) {
      if (!file.endsWith('.api.md') || wanted.has(file)) continue;
      const name = `packages/${folder}/${REPORT_FOLDER}/${file}`;
      if (check) problems.push(`${name} reports an entry the package no longer has: run pnpm api-report`);
      else await rm(join(dir, file));
    }
  }
  return problems;
}

/** The problems found (check mode) or nothing; writes the reports otherwise. */
export async function apiReports(check: boolean): Promise<string[]> {
  const temp = await mkdtemp(join(tmpdir(), 'api-report-'));
  try {
    const all = await entries();
    const problems: string[] = [];
    for (const entry of all) {
      const problem = await report(entry, check, temp);
      if (problem) problems.push(problem);
    }
    return [...problems, ...(await strays(all, check))];
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const problems = await apiReports(process.argv.includes('--check'));
  for (const problem of problems) console.error(problem);
  process.exit(problems.length ? 1 : 0);
}
