import { parse } from 'acorn';
import { fullAncestor } from 'acorn-walk';
import { analyze, type Reference, type ScopeManager, type Variable } from 'eslint-scope';
import type * as ESTree from 'estree';
import { PostprocessError } from './build.js';

/**
 * A build's script, read and never run: its syntax tree (acorn, the parser webpack, Rollup and Terser use)
 * and its scopes (eslint-scope, ESLint's own), so that what a name refers to is known as the language
 * defines it rather than guessed from its spelling. Code from the build never runs in Node: a loading screen
 * or a settings file can hold anything, and Node's `vm` is no sandbox.
 */
export interface ScriptModel {
  file: string;
  source: string;
  program: ESTree.Program;
  parent(node: ESTree.Node): ESTree.Node | undefined;
  /** The reference an identifier makes (undefined for property names, labels...). */
  reference(identifier: ESTree.Identifier): Reference | undefined;
  /** Globals the script assigns itself (`window.NAME = ...`, `NAME = ...` with no declaration). */
  writesGlobal(name: string): boolean;
  /** Every node of the script, in source order. */
  nodes: ESTree.Node[];
  /** The variables a declaration node declares (a function declaration its name...). */
  declared(node: ESTree.Node): Variable[];
  line(node: ESTree.Node): number;
}

/** The objects that are the page's global object in a browser. */
export const GLOBAL_OBJECTS = new Set(['window', 'self', 'globalThis']);

/** The global a `window.NAME` (or `self.NAME`, `globalThis.NAME`) expression names, if it is one. */
export function globalMemberName(model: ScriptModel, node: ESTree.Node): string | undefined {
  if (node.type !== 'MemberExpression' || node.object.type !== 'Identifier' || !GLOBAL_OBJECTS.has(node.object.name))
    return undefined;
  if (model.reference(node.object)?.resolved) return undefined; // a local named window
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.computed && node.property.type === 'Literal' && typeof node.property.value === 'string')
    return node.property.value;
  return undefined;
}

/** A script that cannot be read: not JavaScript (a browser would not run it either), or nested too deeply to walk. */
export class UnreadableScript extends PostprocessError {
  constructor(
    message: string,
    file: string,
    readonly reason: 'syntax' | 'depth',
  ) {
    super(message, file);
  }
}

/** acorn's own word when it runs out of stack (a SyntaxError, although the script may be fine for a browser). */
const ACORN_OUT_OF_STACK = /^Not enough stack space to parse input\b/;

function syntaxError(file: string, error: unknown): unknown {
  // Chromium parses scripts nested far deeper than acorn does in Node (20,000 parentheses against about 700):
  // such a script runs in the page, so it counts as unreadable, never as a syntax error that does nothing
  if (error instanceof RangeError || (error instanceof SyntaxError && ACORN_OUT_OF_STACK.test(error.message)))
    return new UnreadableScript(
      `${file} nests too deeply to be read: post-processing reads it without running it`,
      file,
      'depth',
    );
  if (!(error instanceof SyntaxError)) return error;
  return new UnreadableScript(
    `${file} is not JavaScript a browser can run (${error.message}): is it the file the Editor exported?`,
    file,
    'syntax',
  );
}

export function readScript(source: string, file: string, sourceType: 'script' | 'module' = 'script'): ScriptModel {
  let program: ESTree.Program;
  let scopes: ScopeManager;
  const parents = new Map<ESTree.Node, ESTree.Node>();
  const nodes: ESTree.Node[] = [];
  try {
    program = parse(source, {
      ecmaVersion: 'latest',
      sourceType,
      allowHashBang: true,
      locations: true,
      ranges: true,
    }) as unknown as ESTree.Program;
    scopes = analyze(program as never, {
      ecmaVersion: 2026 as never,
      sourceType,
      optimistic: true,
      fallback: 'iteration',
    });
    fullAncestor(program as never, (node, _state, ancestors) => {
      nodes.push(node as unknown as ESTree.Node);
      const parent = ancestors.at(-2);
      if (parent) parents.set(node as unknown as ESTree.Node, parent as unknown as ESTree.Node);
    });
  } catch (error) {
    throw syntaxError(file, error);
  }
  const references = new Map<ESTree.Node, Reference>();
  for (const scope of scopes.scopes)
    for (const ref of scope.references) references.set(ref.identifier as ESTree.Node, ref);
  const written = new Set<string>();
  const model: ScriptModel = {
    file,
    source,
    program,
    parent: (node) => parents.get(node),
    reference: (identifier) => references.get(identifier),
    writesGlobal: (name) => written.has(name),
    nodes,
    declared: (node) => scopes.getDeclaredVariables(node as never),
    line: (node) => node.loc?.start.line ?? 0,
  };
  for (const ref of references.values())
    if (!ref.resolved && ref.isWrite()) written.add((ref.identifier as ESTree.Identifier).name);
  for (const node of nodes) {
    const target =
      node.type === 'AssignmentExpression' ? node.left : node.type === 'UpdateExpression' ? node.argument : undefined;
    const name = target && globalMemberName(model, target);
    if (name !== undefined) written.add(name);
  }
  return model;
}

/** The statement a node is part of, and the list of statements that holds it. */
export function statementOf(
  model: ScriptModel,
  node: ESTree.Node,
): { statement: ESTree.Node; container: ESTree.Node | undefined } {
  let current = node;
  for (let parent = model.parent(current); parent; current = parent, parent = model.parent(current))
    if (
      parent.type === 'BlockStatement' ||
      parent.type === 'Program' ||
      parent.type === 'StaticBlock' ||
      parent.type === 'SwitchCase'
    )
      return { statement: current, container: parent };
  return { statement: current, container: undefined };
}

/** The function (or the program) a node runs in. */
export function functionOf(model: ScriptModel, node: ESTree.Node): ESTree.Node {
  for (let parent = model.parent(node); parent; parent = model.parent(parent))
    if (
      parent.type === 'FunctionDeclaration' ||
      parent.type === 'FunctionExpression' ||
      parent.type === 'ArrowFunctionExpression'
    )
      return parent;
  return model.program;
}

/** A short quote of a node's code for messages: its first line, cut at 60 characters. */
export function quote(model: ScriptModel, node: ESTree.Node): string {
  const range = node as unknown as { start: number; end: number };
  const text = model.source.slice(range.start, range.end).split('\n')[0] ?? '';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
