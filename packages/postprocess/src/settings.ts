import type * as ESTree from 'estree';
import { type BuildSource, PostprocessError } from './build.js';
import {
  type BuildLayout,
  bundleTail,
  describeLayout,
  layoutFilesOf,
  readLayout,
  SETTING_NAMES,
  type SettingsForm,
} from './layout.js';
import { globalMemberName, quote, readScript, type ScriptModel } from './script-model.js';
import { Evaluator, type Known, type StaticValue, UNKNOWN } from './static-value.js';

export const SETTINGS_FILE = '__settings__.js';

/** A module the build preloads (Ammo, Basis, Draco...): listed in `window.PRELOAD_MODULES`. */
export interface PreloadModule {
  moduleName: string;
  glueUrl?: string;
  wasmUrl?: string;
  fallbackUrl?: string;
}

/** What `__settings__.js` sets, as the page would see it. */
export interface Settings {
  assetPrefix: string;
  scriptPrefix: string;
  scenePath: string | undefined;
  configFilename: string;
  preloadModules: PreloadModule[];
  deviceTypes: string[];
}

interface Assignment {
  name: string;
  value: Known;
  /** The value's expression, and the statement that assigns it. */
  node: ESTree.Node;
  statement: ESTree.Node;
}

/** The settings file read statement by statement: the globals it sets, and the statements that are no setting. */
interface SettingsFile {
  model: ScriptModel;
  assignments: Assignment[];
  other: ESTree.Node[];
  /** Where the model's text starts in the file, and its line there (a concatenated bundle is read from its settings on). */
  offset: number;
  lineOffset: number;
}

/** Where the settings end in the file: after the last one (a bundle goes on with the bootstrap). */
function settingsEnd(file: SettingsFile): number {
  if (file.offset === 0) return file.model.source.length;
  const settings = file.assignments.filter((a) => SETTING_SET.has(a.name));
  return file.offset + Math.max(0, ...settings.map((a) => (a.statement as unknown as { end: number }).end));
}

const EFFECTS = new Set([
  'CallExpression',
  'NewExpression',
  'AssignmentExpression',
  'UpdateExpression',
  'TaggedTemplateExpression',
  'AwaitExpression',
  'YieldExpression',
  'ImportExpression',
]);
const FUNCTIONS = new Set(['FunctionExpression', 'ArrowFunctionExpression', 'FunctionDeclaration']);

/**
 * The nodes whose evaluation can do something (hold a call, an assignment...; a function's body does not run
 * where the function is written). One pass: each effect marks its ancestors up to one already marked.
 */
function nodesWithEffects(model: ScriptModel): Set<ESTree.Node> {
  const marked = new Set<ESTree.Node>();
  for (const node of model.nodes) {
    if (!EFFECTS.has(node.type) && !(node.type === 'UnaryExpression' && node.operator === 'delete')) continue;
    for (let p: ESTree.Node | undefined = node; p && !marked.has(p); p = model.parent(p)) {
      if (p !== node && FUNCTIONS.has(p.type)) break;
      marked.add(p);
    }
  }
  return marked;
}

const SETTING_SET = new Set<string>(SETTING_NAMES);

/** The settings, read by their form: a classic script of globals, an ES module of exports, constants in a bundle. */
function readSettingsFile(source: string, form: SettingsForm = 'window-globals', file = SETTINGS_FILE): SettingsFile {
  if (form === 'bundle-constants') return readBundleConstants(source, file);
  const module = form === 'es-exports';
  const model = readScript(source, file, module ? 'module' : 'script');
  const evaluator = new Evaluator(model, { global: () => UNKNOWN });
  const assignments: Assignment[] = [];
  const other: ESTree.Node[] = [];
  const effects = nodesWithEffects(model);
  const hasEffects = (node: ESTree.Node) => effects.has(node);
  const assign = (name: string, node: ESTree.Node, statement: ESTree.Node) =>
    assignments.push({ name, value: evaluator.value(node), node, statement });
  for (const item of model.program.body) {
    let statement = item as ESTree.Node;
    if (module && statement.type === 'ImportDeclaration') continue; // `import { script } from './playcanvas-stable.min.mjs'`
    if (module && statement.type === 'ExportNamedDeclaration') {
      if (!statement.declaration) continue; // `export { ASSET_PREFIX, ... }`
      statement = statement.declaration;
    }
    if (statement.type === 'EmptyStatement' || statement.type === 'FunctionDeclaration') continue;
    if (statement.type === 'ExpressionStatement' && 'directive' in statement) continue;
    if (statement.type === 'VariableDeclaration') {
      for (const d of statement.declarations) {
        if (d.id.type !== 'Identifier' || (d.init && hasEffects(d.init))) other.push(statement);
        else if (d.init) assign(d.id.name, d.init, statement);
      }
      continue;
    }
    const expression = statement.type === 'ExpressionStatement' ? statement.expression : undefined;
    if (expression?.type !== 'AssignmentExpression' || expression.operator !== '=' || hasEffects(expression.right)) {
      other.push(statement);
      continue;
    }
    const left = expression.left;
    const name =
      left.type === 'Identifier' && !model.reference(left)?.resolved
        ? left.name
        : left.type === 'Identifier'
          ? undefined
          : globalMemberName(model, left);
    if (name !== undefined) assign(name, expression.right, statement);
    else if (left.type !== 'MemberExpression' || (left.computed && left.property.type !== 'Literal'))
      other.push(statement);
    // else: a property of another object (`pc.script.legacy = false`), which sets no global post-processing reads
  }
  return { model, assignments, other, offset: 0, lineOffset: 0 };
}

/** The settings constants of a concatenated `js/index.mjs` (`const ASSET_PREFIX="";...`): the rest of the bundle is no setting. */
function readBundleConstants(source: string, file: string): SettingsFile {
  const tail = bundleTail(source, file);
  if (!tail)
    throw new PostprocessError(
      `${file} has no settings constants (const ASSET_PREFIX = ...): is it the bundle the Editor exported?`,
      file,
    );
  const model = readScript(tail.text, file, 'module');
  const evaluator = new Evaluator(model, { global: () => UNKNOWN });
  const assignments: Assignment[] = [];
  for (const statement of model.program.body) {
    if (statement.type === 'VariableDeclaration') {
      for (const d of statement.declarations)
        if (d.id.type === 'Identifier' && SETTING_SET.has(d.id.name) && d.init)
          assignments.push({ name: d.id.name, value: evaluator.value(d.init), node: d.init, statement });
      continue;
    }
    // `window.BUILD_VERSION="1.4.2";` (stampVersion() writes it after the settings)
    const expression = statement.type === 'ExpressionStatement' ? statement.expression : undefined;
    const name =
      expression?.type === 'AssignmentExpression' && expression.operator === '='
        ? globalMemberName(model, expression.left)
        : undefined;
    if (expression?.type === 'AssignmentExpression' && name !== undefined)
      assignments.push({ name, value: evaluator.value(expression.right), node: expression.right, statement });
  }
  return {
    model,
    assignments,
    other: [],
    offset: tail.offset,
    lineOffset: source.slice(0, tail.offset).split('\n').length - 1,
  };
}

function cannotRead(file: SettingsFile, node: ESTree.Node, what: string): PostprocessError {
  const line = file.model.line(node) + file.lineOffset;
  return new PostprocessError(
    `${file.model.file} line ${line} ${what} (${quote(file.model, node)}): post-processing reads the settings without running them; the Editor writes only lines like window.ASSET_PREFIX = "..."; set plain values there and move other code into a script of the project`,
    file.model.file,
  );
}

/** The settings as the page would see them, read without running the file; refused where a value is computed. */
export function readSettings(source: string, form?: SettingsForm, path?: string): Settings {
  const file = readSettingsFile(source, form, path);
  const first = file.other[0];
  if (first) throw cannotRead(file, first, 'is not a plain setting, so what it changes cannot be told');
  const settingOf = (name: string): StaticValue => {
    const last = file.assignments.filter((a) => a.name === name).at(-1);
    if (!last) return undefined;
    if (last.value === UNKNOWN)
      throw cannotRead(file, last.statement, `sets ${name} to a value only known when the page runs`);
    return last.value;
  };
  const text = (name: string, fallback: string) => {
    const v = settingOf(name);
    return typeof v === 'string' ? v : fallback;
  };
  const modules = settingOf('PRELOAD_MODULES');
  const context = settingOf('CONTEXT_OPTIONS');
  const deviceTypes =
    context && typeof context === 'object' && !Array.isArray(context) ? context.deviceTypes : undefined;
  const scenePath = settingOf('SCENE_PATH');
  return {
    assetPrefix: text('ASSET_PREFIX', ''),
    scriptPrefix: text('SCRIPT_PREFIX', ''),
    scenePath: typeof scenePath === 'string' ? scenePath : undefined,
    configFilename: text('CONFIG_FILENAME', 'config.json'),
    preloadModules: (Array.isArray(modules) ? modules : []).filter(
      (m): m is PreloadModule & StaticValue =>
        typeof m === 'object' && m !== null && typeof (m as { moduleName?: unknown }).moduleName === 'string',
    ) as PreloadModule[],
    deviceTypes: Array.isArray(deviceTypes) ? deviceTypes.filter((t): t is string => typeof t === 'string') : [],
  };
}

/** The settings' plain values by global name (for the loading screen, which reads ASSET_PREFIX...); computed ones unknown. */
export function settingsGlobals(
  source: string | undefined,
  form?: SettingsForm,
  path?: string,
): (name: string) => Known {
  if (source === undefined) return () => UNKNOWN;
  const { assignments } = readSettingsFile(source, form, path);
  return (name) => {
    const set = assignments.filter((a) => a.name === name);
    return set.length === 0 ? UNKNOWN : (set.at(-1)?.value ?? UNKNOWN);
  };
}

/** The string literals assigned to a global, with where each sits. */
function literalsOf(
  source: string,
  name: string,
  form?: SettingsForm,
  path?: string,
): Array<{ value: string; start: number; end: number }> {
  const file = readSettingsFile(source, form, path);
  return file.assignments.flatMap((a) => {
    const node = a.node as ESTree.Node & { start: number; end: number };
    const plain = node.type === 'Literal' || (node.type === 'TemplateLiteral' && node.expressions.length === 0);
    const at = { start: node.start + file.offset, end: node.end + file.offset };
    return a.name === name && plain && typeof a.value === 'string' ? [{ value: a.value, ...at }] : [];
  });
}

/** Sets a string assignment the Editor writes (`window.ASSET_PREFIX = "..."`), refusing when it is not there. */
export function setSetting(
  source: string,
  name: string,
  value: (current: string) => string,
  form?: SettingsForm,
  path = SETTINGS_FILE,
): string {
  const literals = literalsOf(source, name, form, path);
  if (literals.length === 0)
    throw new PostprocessError(
      `${path} has no ${name} = "..." ${form === 'es-exports' || form === 'bundle-constants' ? 'constant' : 'assignment'} to change: is it the file the Editor exported?`,
      path,
    );
  let out = source;
  for (const literal of literals.reverse())
    out = out.slice(0, literal.start) + JSON.stringify(value(literal.value)) + out.slice(literal.end);
  return out;
}

/** Whether the settings assign `name` a string literal. */
export function hasSetting(source: string, name: string, form?: SettingsForm, path?: string): boolean {
  return literalsOf(source, name, form, path).length > 0;
}

/** The settings of a build in the form its layout writes them: read, and changed in place. */
export interface LayoutSettings {
  file: string;
  form: SettingsForm;
  text: string;
  settings: Settings;
  globals: (name: string) => Known;
  /** The settings file's text with the string setting `name` changed (refused when the file has no such literal). */
  set(text: string, name: string, value: (current: string) => string): string;
  has(text: string, name: string): boolean;
  /** Where the settings end in a text of the file (a concatenated bundle goes on with its bootstrap). */
  end(text: string): number;
}

export function layoutSettings(
  layout: Pick<BuildLayout, 'settingsFile' | 'settingsForm'>,
  text: string,
): LayoutSettings {
  const { settingsFile: file, settingsForm: form } = layout;
  return {
    file,
    form,
    text,
    settings: readSettings(text, form, file),
    globals: settingsGlobals(text, form, file),
    set: (source, name, value) => setSetting(source, name, value, form, file),
    has: (source, name) => hasSetting(source, name, form, file),
    end: (source) => settingsEnd(readSettingsFile(source, form, file)),
  };
}

/** The build's layout and its settings: how every transform reads them. */
export async function readBuildSettings(
  build: BuildSource,
): Promise<{ layout: BuildLayout; settings: LayoutSettings }> {
  const layout = await readLayout(layoutFilesOf(build));
  if (!build.paths.has(layout.settingsFile))
    throw new PostprocessError(
      `${describeLayout(layout)} without ${layout.settingsFile}: download the build again`,
      layout.settingsFile,
    );
  const text = (await build.read(layout.settingsFile)).toString('utf8');
  return { layout, settings: layoutSettings(layout, text) };
}
