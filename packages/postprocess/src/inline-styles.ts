import type * as ESTree from 'estree';
import { fragmentElements } from './html.js';
import type { ScriptContext, ScriptEffects } from './script-effects.js';
import { functionOf, quote, readScript, type ScriptModel, UnreadableScript } from './script-model.js';
import { Evaluator, type Known, UNKNOWN } from './static-value.js';

export type { ScriptContext, ScriptEffects } from './script-effects.js';

const TEXT_PROPERTIES = new Set(['innerHTML', 'textContent', 'innerText']);
const ATTACH_METHODS = new Set([
  'appendChild',
  'insertBefore',
  'append',
  'prepend',
  'replaceChild',
  'after',
  'before',
  'replaceWith',
]);
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

type Handle = { uses: ESTree.Node[]; attached: boolean } | { unreadable: string };

const at = (node: ESTree.Node) => (node as unknown as { start: number }).start;
const propertyName = (member: ESTree.MemberExpression, evaluator: Evaluator): string | undefined =>
  !member.computed && member.property.type === 'Identifier' ? member.property.name : evaluator.string(member.property);

class Reader {
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
      // Chromium checks the emptied <style> too when `innerHTML +=` replaces a text that was there (seen on a 2.13 build)
      if (inPage && op.replaces && current !== '') texts.push('');
      current = op.kind === 'set' ? value : op.kind === 'append' ? current + value : value + current;
      if (inPage) texts.push(current);
    }
    if (!inPage) texts.push(current);
    this.effects.styles.push(...texts);
  }

  /** Markup the script writes (innerHTML, insertAdjacentHTML, document.write): its <style>s and what the policy blocks. */
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
          `${this.where(node)} writes inline style attributes (style="..."), which a strict policy blocks: set element.style properties instead`,
        );
      if (notes && attributes.some((a) => /^on/.test(a)))
        this.effects.notes.push(
          `${this.where(node)} writes inline event handlers (on...="..."), which a strict policy blocks: use addEventListener`,
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

/** Reads a boot script for what it inserts; `notes` adds what the policy blocks (the loading screen's markup). */
export function bootScriptEffects(
  source: string,
  file: string,
  context: ScriptContext,
  notes = false,
  sourceType: 'script' | 'module' = 'script',
): ScriptEffects {
  let model: ScriptModel;
  try {
    model = readScript(source, file, sourceType);
  } catch (error) {
    if (!(error instanceof UnreadableScript)) throw error;
    const none: ScriptEffects = { styles: [], images: [], unreadableStyles: [], unreadableImages: [], notes: [] };
    // a script with a syntax error does nothing in the page; one too deep to read might do anything
    if (error.reason === 'depth') none.unreadableStyles.push(error.message);
    else
      none.notes.push(
        `${file} is not JavaScript a browser can run (${error.message.replace(/^.*? can run \((.*)\): is it.*$/s, '$1')}): it does nothing in the page`,
      );
    return none;
  }
  const reader = new Reader(model, context);
  const { evaluator, effects } = reader;
  for (const node of model.nodes) {
    const created = reader.documentCall(node, ['createElement']);
    if (created) {
      const tag = evaluator.string(created)?.toLowerCase();
      if (tag === undefined)
        effects.unreadableStyles.push(
          `${reader.where(node)} creates an element whose tag is only known when the page runs`,
        );
      else if (tag === 'style') reader.styleTexts(node, undefined, 'the <style> it creates');
      else if (tag === 'img') reader.image(node);
      continue;
    }
    const selected = reader.documentCall(node, ['querySelector']);
    if (selected && /^\s*style\b/i.test(reader.skeleton(selected))) {
      if (evaluator.string(selected)?.trim().toLowerCase() !== 'style' || context.firstStyleText === undefined)
        effects.unreadableStyles.push(
          `${reader.where(node)} changes a <style> of index.html that post-processing cannot find`,
        );
      else reader.styleTexts(node, context.firstStyleText, "index.html's first <style>");
      continue;
    }
    if (
      node.type === 'NewExpression' &&
      node.callee.type === 'Identifier' &&
      node.callee.name === 'Image' &&
      !model.reference(node.callee)?.resolved
    )
      reader.image(node);
    if (node.type === 'AssignmentExpression' && node.left.type === 'MemberExpression') {
      const name = propertyName(node.left, evaluator);
      if (name === 'innerHTML' || name === 'outerHTML') reader.markup(node.right, evaluator.value(node.right), notes);
    }
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression') {
      const name = propertyName(node.callee, evaluator);
      const markup =
        name === 'insertAdjacentHTML' ? node.arguments[1] : reader.documentCall(node, ['write', 'writeln']);
      if (markup && markup.type !== 'SpreadElement') reader.markup(markup, evaluator.value(markup), notes);
      if (notes && name === 'setAttribute' && /^(style|on.*)$/i.test(evaluator.string(node.arguments[0]) ?? ''))
        effects.notes.push(
          `${reader.where(node)} writes an inline ${evaluator.string(node.arguments[0])} attribute, which a strict policy blocks`,
        );
    }
    const callee = node.type === 'CallExpression' || node.type === 'NewExpression' ? node.callee : undefined;
    if (
      callee?.type === 'Identifier' &&
      ['eval', 'Function'].includes(callee.name) &&
      !model.reference(callee)?.resolved
    )
      effects.notes.push(
        `${reader.where(node)} runs code built at run time (${callee.name}), which a strict policy blocks`,
      );
  }
  effects.styles = [...new Set(effects.styles)];
  effects.images = [...new Set(effects.images)];
  return effects;
}
