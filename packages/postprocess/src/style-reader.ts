import type * as ESTree from 'estree';
import { ATTACH_METHODS, at, DomReader, propertyName } from './script-dom-reader.js';
import { functionOf } from './script-model.js';
import { type Known, UNKNOWN } from './static-value.js';

const TEXT_PROPERTIES = new Set(['innerHTML', 'textContent', 'innerText']);
const CONTENT_METHODS = new Set(['appendChild', 'append', 'prepend', 'insertBefore', 'replaceChildren']);
const HIDDEN_CONTENT = new Set([
  'insertAdjacentText',
  'insertAdjacentHTML',
  'outerHTML',
  'firstChild',
  'lastChild',
  'childNodes',
]);

interface Op {
  kind: 'set' | 'append' | 'prepend' | 'attach';
  value: Known;
  node: ESTree.Node;
  /** Set through innerHTML/textContent (`+=` too): the old text goes first, so the <style> is empty for a moment. */
  replaces?: boolean;
}

/** A DOM reader that also follows the text of each <style> a boot script creates or changes. */
export class StyleReader extends DomReader {
  /** What the script does with a <style>: set or extend its text, attach it; undefined when it cannot be followed. */
  styleOps(uses: ESTree.Node[]): Op[] | string {
    const ops: Op[] = [];
    for (const use of uses) {
      const parent = this.model.parent(use);
      if (parent?.type === 'MemberExpression' && parent.object === use) {
        const name = propertyName(parent, this.evaluator);
        const outer = this.model.parent(parent);
        if (
          name !== undefined &&
          TEXT_PROPERTIES.has(name) &&
          outer?.type === 'AssignmentExpression' &&
          outer.left === parent
        ) {
          if (outer.operator !== '=' && outer.operator !== '+=') return `changes its text with ${outer.operator}`;
          ops.push({
            kind: outer.operator === '=' ? 'set' : 'append',
            value: this.evaluator.value(outer.right),
            node: outer,
            replaces: true,
          });
        } else if (
          name !== undefined &&
          CONTENT_METHODS.has(name) &&
          outer?.type === 'CallExpression' &&
          outer.callee === parent
        ) {
          const added = name === 'insertBefore' ? outer.arguments.slice(0, 1) : outer.arguments;
          if (name === 'replaceChildren') ops.push({ kind: 'set', value: '', node: outer });
          for (const arg of added)
            ops.push({
              kind: name === 'prepend' ? 'prepend' : 'append',
              value: this.textOf(arg as ESTree.Node),
              node: outer,
            });
        } else if (name === undefined || HIDDEN_CONTENT.has(name)) {
          return `changes it through ${name ?? 'a computed property'}`;
        }
        continue;
      }
      if (parent?.type === 'CallExpression' && parent.arguments.includes(use as ESTree.Expression)) {
        const method =
          parent.callee.type === 'MemberExpression' ? propertyName(parent.callee, this.evaluator) : undefined;
        if (method !== undefined && ATTACH_METHODS.has(method))
          ops.push({ kind: 'attach', value: undefined, node: parent });
        else if (method !== 'removeChild') return 'passes it to a function';
        continue;
      }
      if (
        parent &&
        !['IfStatement', 'LogicalExpression', 'UnaryExpression', 'ExpressionStatement', 'BinaryExpression'].includes(
          parent.type,
        )
      )
        return 'hands it on';
    }
    return ops.sort((a, b) => at(a.node) - at(b.node));
  }

  /** The texts a <style> holds while it is in the page. */
  styleTexts(site: ESTree.Node, base: string | undefined, what: string): void {
    const handle = this.handle(site);
    const ops = 'unreadable' in handle ? handle.unreadable : this.styleOps(handle.uses);
    if (typeof ops === 'string')
      return void this.effects.unreadableStyles.push(`${this.where(site)} makes a <style> and ${ops}`);
    const content = ops.filter((o) => o.kind !== 'attach');
    const unknown = content.find((o) => o.value === UNKNOWN || typeof o.value === 'object');
    if (unknown)
      return void this.effects.unreadableStyles.push(
        `${this.where(unknown.node)} sets the text of ${what} to a value only known when the page runs`,
      );
    if (content.length > 0 && new Set(content.map((o) => functionOf(this.model, o.node))).size > 1)
      return void this.effects.unreadableStyles.push(
        `${this.where(site)} fills ${what} from several functions, in an order only known when the page runs`,
      );
    const attach = ops.find((o) => o.kind === 'attach');
    let attachAt = 0; // where it enters the page: from the start when an order cannot be told
    if (base === undefined && !('uses' in handle && handle.attached)) {
      if (!attach) return; // never put in the page
      const fillsIn = content[0] ? functionOf(this.model, content[0].node) : undefined;
      if (!fillsIn || functionOf(this.model, attach.node) === fillsIn) attachAt = at(attach.node);
    }
    let current = base ?? '';
    let inPage = base !== undefined;
    const texts: string[] = [];
    for (const op of content) {
      if (!inPage && at(op.node) >= attachAt) {
        texts.push(current);
        inPage = true;
      }
      const value = op.value === null || op.value === undefined ? '' : String(op.value);
      // Chromium checks the emptied <style> too when `innerHTML +=` replaces a text that was there
      // (seen on a 2.13 build)
      if (inPage && op.replaces && current !== '') texts.push('');
      current = op.kind === 'set' ? value : op.kind === 'append' ? current + value : value + current;
      if (inPage) texts.push(current);
    }
    if (!inPage) texts.push(current);
    this.effects.styles.push(...texts);
  }
}
