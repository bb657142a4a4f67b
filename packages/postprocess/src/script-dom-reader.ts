import type * as ESTree from 'estree';
import { fragmentElements } from './html.js';
import type { ScriptContext, ScriptEffects } from './script-effects.js';
import { quote, type ScriptModel } from './script-model.js';
import { Evaluator, type Known } from './static-value.js';

/** Methods that put a node in the page (a created element counts as attached once it goes through one). */
export const ATTACH_METHODS = new Set([
  'appendChild',
  'insertBefore',
  'append',
  'prepend',
  'replaceChild',
  'after',
  'before',
  'replaceWith',
]);

type Handle = { uses: ESTree.Node[]; attached: boolean } | { unreadable: string };

export const at = (node: ESTree.Node) => (node as unknown as { start: number }).start;
export const propertyName = (member: ESTree.MemberExpression, evaluator: Evaluator): string | undefined =>
  !member.computed && member.property.type === 'Identifier' ? member.property.name : evaluator.string(member.property);

/** Follows what a boot script does to the document: where created elements go, the markup and images it writes. */
export class DomReader {
  readonly effects: ScriptEffects = { styles: [], images: [], unreadableStyles: [], unreadableImages: [], notes: [] };
  readonly evaluator: Evaluator;

  constructor(
    readonly model: ScriptModel,
    readonly context: ScriptContext,
  ) {
    this.evaluator = new Evaluator(model, {
      global: context.globals,
      ...(context.members ? { members: context.members } : {}),
      ...(context.imported ? { imported: context.imported } : {}),
    });
  }

  where(node: ESTree.Node): string {
    return `${this.model.file} line ${this.model.line(node)} (${quote(this.model, node)})`;
  }

  isDocument(node: ESTree.Node): boolean {
    if (node.type === 'Identifier') return node.name === 'document' && !this.model.reference(node)?.resolved;
    return (
      node.type === 'MemberExpression' &&
      node.object.type === 'Identifier' &&
      propertyName(node, this.evaluator) === 'document'
    );
  }

  /** `document.method(...)` or `document.head.method(...)`: the call's first argument, when the callee is that. */
  documentCall(node: ESTree.Node, methods: string[]): ESTree.Node | undefined {
    if (node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') return undefined;
    const name = propertyName(node.callee, this.evaluator);
    if (name === undefined || !methods.includes(name)) return undefined;
    const target = node.callee.object;
    const onDocument =
      this.isDocument(target) ||
      (target.type === 'MemberExpression' &&
        this.isDocument(target.object) &&
        ['head', 'body'].includes(String(propertyName(target, this.evaluator))));
    return onDocument ? (node.arguments[0] as ESTree.Node | undefined) : undefined;
  }

  /** Where a created element goes: the variable that keeps it (its reads), or the expression itself. */
  handle(site: ESTree.Node): Handle {
    let node = site;
    let attached = false;
    for (;;) {
      const parent = this.model.parent(node);
      if (
        parent?.type === 'CallExpression' &&
        parent.arguments[0] === node &&
        parent.callee.type === 'MemberExpression'
      ) {
        if (!ATTACH_METHODS.has(String(propertyName(parent.callee, this.evaluator)))) break;
        attached = true; // document.head.appendChild(document.createElement('style')).textContent = ...
        node = parent;
        continue;
      }
      const id =
        parent?.type === 'VariableDeclarator' && parent.init === node
          ? parent.id
          : parent?.type === 'AssignmentExpression' && parent.right === node && parent.operator === '='
            ? parent.left
            : undefined;
      if (id?.type === 'Identifier') {
        const variable = this.model.reference(id)?.resolved;
        // `var css = null;` first, the element later: the empty start is no other value for it
        const empty = (w: { writeExpr?: unknown }) => {
          const e = w.writeExpr as ESTree.Node | undefined | null;
          return !e || (e.type === 'Literal' && e.value === null);
        };
        const writes = variable?.references.filter((r) => r.isWrite() && !empty(r)) ?? [];
        if (!variable || writes.length !== 1)
          return { unreadable: `keeps it in ${id.name}, which is set elsewhere too` };
        const uses = variable.references.filter((r) => r.isRead()).map((r) => r.identifier as ESTree.Node);
        return { uses, attached };
      }
      if (id) return { unreadable: 'keeps it somewhere post-processing cannot follow' };
      break;
    }
    return this.model.parent(node)?.type === 'MemberExpression'
      ? { uses: [node], attached }
      : { unreadable: 'passes it on' };
  }

  /** A node appended as a text (`document.createTextNode(css)`, a string, or a variable holding a text node). */
  textOf(node: ESTree.Node): Known {
    const created = this.documentCall(node, ['createTextNode']);
    if (created) return this.evaluator.value(created);
    if (node.type === 'Identifier') {
      const writes = this.model.reference(node)?.resolved?.references.filter((r) => r.isWrite()) ?? [];
      const init = writes.length === 1 ? writes[0]?.writeExpr : undefined;
      const text = init && this.documentCall(init, ['createTextNode']);
      if (text) return this.evaluator.value(text);
    }
    return this.evaluator.value(node);
  }

  /**
   * Markup the script writes (innerHTML, insertAdjacentHTML, document.write): its <style>s and what the policy
   * blocks.
   */
  markup(node: ESTree.Node, value: Known, notes: boolean): void {
    if (typeof value !== 'string') {
      const skeleton = this.skeleton(node);
      if (/<\s*style/i.test(skeleton))
        this.effects.unreadableStyles.push(
          `${this.where(node)} writes a <style> whose text is only known when the page runs`,
        );
      return;
    }
    for (const element of fragmentElements(value)) {
      if (element.name === 'style') this.effects.styles.push(element.text);
      if (element.name === 'img' && element.attributes.src) this.effects.images.push(element.attributes.src);
      const attributes = Object.keys(element.attributes);
      if (notes && attributes.includes('style'))
        this.effects.notes.push(
          `${this.where(node)} writes inline style attributes (style="..."), which a strict policy blocks: ` +
            'set element.style properties instead',
        );
      if (notes && attributes.some((a) => /^on/.test(a)))
        this.effects.notes.push(
          `${this.where(node)} writes inline event handlers (on...="..."), which a strict policy blocks: ` +
            'use addEventListener',
        );
    }
  }

  /** A string expression's known parts, with U+FFFF where a part is computed at run time. */
  skeleton(node: ESTree.Node): string {
    const v = this.evaluator.value(node);
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    if (node.type === 'BinaryExpression' && node.operator === '+' && node.left.type !== 'PrivateIdentifier')
      return this.skeleton(node.left) + this.skeleton(node.right);
    if (node.type === 'TemplateLiteral')
      return node.quasis
        .map((q, i) => (q.value.cooked ?? '') + (node.expressions[i] ? this.skeleton(node.expressions[i]) : ''))
        .join('');
    return '\uffff';
  }

  image(site: ESTree.Node): void {
    const handle = this.handle(site);
    if ('unreadable' in handle) return;
    for (const use of handle.uses) {
      const parent = this.model.parent(use);
      if (
        parent?.type !== 'MemberExpression' ||
        parent.object !== use ||
        !['src', 'srcset'].includes(String(propertyName(parent, this.evaluator)))
      )
        continue;
      const outer = this.model.parent(parent);
      if (outer?.type !== 'AssignmentExpression' || outer.left !== parent) continue;
      const url = this.evaluator.value(outer.right);
      if (typeof url === 'string' && outer.operator === '=') this.effects.images.push(url);
      else
        this.effects.unreadableImages.push(
          `${this.where(outer)} shows an image whose URL is only known when the page runs`,
        );
    }
  }
}
