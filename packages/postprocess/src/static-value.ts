import type { Reference, Variable } from 'eslint-scope';
import type * as ESTree from 'estree';
import {
  binaryOf,
  capped,
  isPrimitive,
  type Known,
  MAX_LENGTH,
  methodCallOf,
  propertyOf,
  type StaticValue,
  text,
  UNKNOWN,
} from './known-values.js';
import { functionOf, globalMemberName, type ScriptModel, statementOf } from './script-model.js';

export { type Known, type StaticValue, UNKNOWN } from './known-values.js';

const MAX_DEPTH = 500;

export interface Environment {
  /** The value of a global the script reads but does not set (the settings' ASSET_PREFIX...). */
  global(name: string): Known;
  /** Values of `object.property` expressions by their code (`app._width` in `__start__.js`). */
  members?: Record<string, StaticValue>;
  /** The value a module imports (`import { ASSET_PREFIX } from './__settings__.mjs'`), by specifier and name. */
  imported?(specifier: string, name: string): Known;
}

/**
 * Constant folding over a script's syntax tree: literals, `+`, template literals, arrays and their `join`,
 * objects, and the variables that hold them, as far as each has one value wherever it is read. Nothing is
 * called: `join` and `concat` are done here, on values this code built.
 */
export class Evaluator {
  private readonly variables = new Map<Variable, Known>();
  private readonly visiting = new Set<Variable>();
  private depth = 0;

  constructor(
    readonly model: ScriptModel,
    private readonly env: Environment,
  ) {}

  value(node: ESTree.Node | null | undefined): Known {
    if (!node || this.depth > MAX_DEPTH) return UNKNOWN;
    this.depth += 1;
    try {
      return this.fold(node);
    } finally {
      this.depth -= 1;
    }
  }

  /** The value as a string, when it is one. */
  string(node: ESTree.Node | null | undefined): string | undefined {
    const v = this.value(node);
    return typeof v === 'string' ? v : undefined;
  }

  private fold(node: ESTree.Node): Known {
    switch (node.type) {
      case 'Literal':
        return 'regex' in node || 'bigint' in node ? UNKNOWN : (node.value as StaticValue);
      case 'TemplateLiteral': {
        let out = node.quasis[0]?.value.cooked;
        for (let i = 0; i < node.expressions.length && out != null; i++) {
          const part = this.value(node.expressions[i]);
          const next = node.quasis[i + 1]?.value.cooked;
          if (!isPrimitive(part) || next == null) return UNKNOWN;
          out = out + text(part) + next;
          if (out.length > MAX_LENGTH) return UNKNOWN;
        }
        return out ?? UNKNOWN;
      }
      case 'BinaryExpression':
        return this.binary(node);
      case 'LogicalExpression': {
        const left = this.value(node.left);
        if (left === UNKNOWN) return UNKNOWN;
        if (node.operator === '||') return left ? left : this.value(node.right);
        if (node.operator === '&&') return left ? this.value(node.right) : left;
        return left ?? this.value(node.right);
      }
      case 'ConditionalExpression': {
        const test = this.value(node.test);
        return test === UNKNOWN ? UNKNOWN : this.value(test ? node.consequent : node.alternate);
      }
      case 'UnaryExpression': {
        const v = this.value(node.argument);
        if (node.operator === '-' && typeof v === 'number') return -v;
        if (node.operator === '!' && v !== UNKNOWN) return !v;
        if (node.operator === 'void' && v !== UNKNOWN) return undefined;
        return UNKNOWN;
      }
      case 'ArrayExpression': {
        const out: StaticValue[] = [];
        for (const element of node.elements) {
          if (!element || element.type === 'SpreadElement') return UNKNOWN;
          const v = this.value(element);
          if (v === UNKNOWN) return UNKNOWN;
          out.push(v);
        }
        return out;
      }
      case 'ObjectExpression':
        return this.object(node);
      case 'Identifier':
        return this.identifier(node);
      case 'MemberExpression':
        return this.member(node);
      case 'CallExpression':
        return this.call(node);
      default:
        return UNKNOWN;
    }
  }

  private binary(node: ESTree.BinaryExpression): Known {
    if (node.left.type === 'PrivateIdentifier') return UNKNOWN;
    return binaryOf(node.operator, this.value(node.left), this.value(node.right));
  }

  private object(node: ESTree.ObjectExpression): Known {
    const out: { [key: string]: StaticValue } = Object.create(null);
    for (const property of node.properties) {
      if (property.type !== 'Property' || property.kind !== 'init' || property.method || property.computed)
        return UNKNOWN;
      const key =
        property.key.type === 'Identifier'
          ? property.key.name
          : property.key.type === 'Literal'
            ? String(property.key.value)
            : undefined;
      const v = this.value(property.value);
      if (key === undefined || v === UNKNOWN) return UNKNOWN;
      out[key] = v;
    }
    return out;
  }

  private identifier(node: ESTree.Identifier): Known {
    const ref = this.model.reference(node);
    if (!ref) return UNKNOWN;
    if (ref.resolved) return this.variable(ref.resolved, ref);
    if (node.name === 'undefined') return undefined;
    return this.model.writesGlobal(node.name) ? UNKNOWN : this.env.global(node.name);
  }

  private member(node: ESTree.MemberExpression): Known {
    const global = globalMemberName(this.model, node);
    if (global !== undefined) return this.model.writesGlobal(global) ? UNKNOWN : this.env.global(global);
    if (!node.computed && node.object.type === 'Identifier' && node.property.type === 'Identifier') {
      const known = this.env.members?.[`${node.object.name}.${node.property.name}`];
      if (known !== undefined) return known;
    }
    if (node.object.type === 'Super') return UNKNOWN;
    const object = this.value(node.object);
    const key = node.computed
      ? this.value(node.property)
      : node.property.type === 'Identifier'
        ? node.property.name
        : UNKNOWN;
    return propertyOf(object, key);
  }

  /** `array.join(separator)` and `string.concat(...)`, done here; nothing else is called. */
  private call(node: ESTree.CallExpression): Known {
    const callee = node.callee;
    if (
      callee.type !== 'MemberExpression' ||
      callee.computed ||
      callee.property.type !== 'Identifier' ||
      callee.object.type === 'Super'
    )
      return UNKNOWN;
    const object = this.value(callee.object);
    const args = node.arguments.map((a) => (a.type === 'SpreadElement' ? UNKNOWN : this.value(a)));
    return methodCallOf(callee.property.name, object, args);
  }

  /** A variable's value where it is read, when the script gives it one there (memoized for single-write ones). */
  private variable(variable: Variable, read: Reference): Known {
    if (this.variables.has(variable)) return this.variables.get(variable) as Known;
    if (this.visiting.has(variable)) return UNKNOWN;
    this.visiting.add(variable);
    const v = this.fromWrites(variable, read);
    this.visiting.delete(variable);
    if (variable.references.filter((r) => r.isWrite()).length <= 1) this.variables.set(variable, v);
    return v;
  }

  private fromWrites(variable: Variable, read: Reference): Known {
    const def = variable.defs.length === 1 ? variable.defs[0] : undefined;
    if (def?.type === 'ImportBinding')
      return this.importedValue(def.node as unknown as ESTree.Node, def.parent as unknown as ESTree.Node);
    if (def?.type === 'Parameter') return this.parameter(variable, def.node as unknown as ESTree.Node);
    if (variable.defs.some((d) => d.type !== 'Variable' || d.node.id.type !== 'Identifier')) return UNKNOWN;
    const writes = variable.references.filter((r) => r.isWrite());
    if (writes.length === 0) return undefined;
    const operators = writes.map((w) => this.operatorOf(w));
    const declared = (w: Reference | undefined) =>
      this.model.parent(w?.identifier as ESTree.Node)?.type === 'VariableDeclarator';
    if (writes.length === 1 && operators[0] === '=' && declared(writes[0])) return this.value(writes[0]?.writeExpr);
    // set, or built up, in a row (`var css = ''; css += '...';`), and read after the last one in the same function
    const first = statementOf(this.model, writes[0]?.identifier as ESTree.Node);
    const inRow = writes.every((w) => {
      const { statement, container } = statementOf(this.model, w.identifier as ESTree.Node);
      const plain =
        statement.type === 'VariableDeclaration' ||
        (statement.type === 'ExpressionStatement' &&
          statement.expression.type === 'AssignmentExpression' &&
          statement.expression.left === w.identifier);
      return (
        plain &&
        container === first.container &&
        functionOf(this.model, statement) === functionOf(this.model, read.identifier as ESTree.Node)
      );
    });
    const lastEnd = (
      statementOf(this.model, writes.at(-1)?.identifier as ESTree.Node).statement as unknown as { end: number }
    ).end;
    const readAt = (read.identifier as unknown as { start: number }).start;
    if (!inRow || operators[0] !== '=' || readAt < lastEnd || !operators.every((o) => o === '=' || o === '+='))
      return UNKNOWN;
    let v: Known;
    for (const [n, write] of writes.entries()) {
      const next = this.value(write.writeExpr);
      if (operators[n] === '=') v = next;
      else if (isPrimitive(v as Known) && isPrimitive(next)) v = capped(text(v as string) + text(next));
      else return UNKNOWN;
      if (v === UNKNOWN) return UNKNOWN;
    }
    return v;
  }

  private importedValue(specifier: ESTree.Node, declaration: ESTree.Node): Known {
    if (specifier.type !== 'ImportSpecifier' || declaration.type !== 'ImportDeclaration' || !this.env.imported)
      return UNKNOWN;
    const name = specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value);
    return this.env.imported(String(declaration.source.value), name);
  }

  /**
   * A plain parameter of a function that is only ever called, with the same value for it at every call
   * (`configureCss(app._fillMode, app._width, app._height)` in the old `__start__.js`): that value.
   */
  private parameter(variable: Variable, fn: ESTree.Node): Known {
    if (variable.references.some((r) => r.isWrite())) return UNKNOWN;
    if (fn.type !== 'FunctionDeclaration' && fn.type !== 'FunctionExpression' && fn.type !== 'ArrowFunctionExpression')
      return UNKNOWN;
    const index = fn.params.findIndex((p) => p.type === 'Identifier' && p.name === variable.name);
    if (index < 0) return UNKNOWN;
    const holder = this.model.parent(fn);
    const binding =
      fn.type === 'FunctionDeclaration'
        ? this.model.declared(fn).find((v) => v.name === fn.id?.name)
        : holder?.type === 'VariableDeclarator' && holder.init === fn
          ? this.model.declared(holder)[0]
          : undefined;
    if (
      !binding ||
      binding.references.filter((r) => r.isWrite()).length > (holder?.type === 'VariableDeclarator' ? 1 : 0)
    )
      return UNKNOWN;
    const reads = binding.references.filter((r) => r.isRead());
    let value: Known = UNKNOWN;
    for (const [n, ref] of reads.entries()) {
      const call = this.model.parent(ref.identifier as ESTree.Node);
      // passed on: called from elsewhere too
      if (call?.type !== 'CallExpression' || call.callee !== ref.identifier) return UNKNOWN;
      const arg = call.arguments[index];
      const v = arg === undefined ? undefined : arg.type === 'SpreadElement' ? UNKNOWN : this.value(arg);
      if (v === UNKNOWN || !isPrimitive(v) || (n > 0 && v !== value)) return UNKNOWN;
      value = v;
    }
    return value;
  }

  /**
   * '=' for a declaration's initializer or a plain assignment, the operator of others (`+=`...), '?' otherwise
   * (for-in...).
   */
  private operatorOf(write: Reference): string {
    const parent = this.model.parent(write.identifier as ESTree.Node);
    if (parent?.type === 'VariableDeclarator' && parent.id === write.identifier)
      return parent.init && parent.init === write.writeExpr ? '=' : '?';
    if (parent?.type === 'AssignmentExpression' && parent.left === write.identifier && write.writeExpr)
      return parent.operator;
    return '?';
  }
}
