import type * as ESTree from 'estree';
import { PostprocessError } from './build.js';
import { bundleTail, SETTING_NAMES, type SettingsForm } from './layout.js';
import { globalMemberName, quote, readScript, type ScriptModel } from './script-model.js';
import { Evaluator, type Known, UNKNOWN } from './static-value.js';

export const SETTINGS_FILE = '__settings__.js';

export interface Assignment {
  name: string;
  value: Known;
  /** The value's expression, and the statement that assigns it. */
  node: ESTree.Node;
  statement: ESTree.Node;
}

/** The settings file read statement by statement: the globals it sets, and the statements that are no setting. */
export interface SettingsFile {
  model: ScriptModel;
  assignments: Assignment[];
  other: ESTree.Node[];
  /**
   * Where the model's text starts in the file, and its line there (a concatenated bundle is read from its settings
   * on).
   */
  offset: number;
  lineOffset: number;
}

/** Where the settings end in the file: after the last one (a bundle goes on with the bootstrap). */
export function settingsEnd(file: SettingsFile): number {
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
export function readSettingsFile(
  source: string,
  form: SettingsForm = 'window-globals',
  file = SETTINGS_FILE,
): SettingsFile {
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
    // `import { script } from './playcanvas-stable.min.mjs'`
    if (module && statement.type === 'ImportDeclaration') continue;
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

/**
 * The settings constants of a concatenated `js/index.mjs` (`const ASSET_PREFIX="";...`): the rest of the bundle is
 * no setting.
 */
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

export function cannotRead(file: SettingsFile, node: ESTree.Node, what: string): PostprocessError {
  const line = file.model.line(node) + file.lineOffset;
  return new PostprocessError(
    `${file.model.file} line ${line} ${what} (${quote(file.model, node)}): ` +
      'post-processing reads the settings without running them; ' +
      'the Editor writes only lines like window.ASSET_PREFIX = "..."; ' +
      'set plain values there and move other code into a script of the project',
    file.model.file,
  );
}
