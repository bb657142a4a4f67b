import { propertyName } from './script-dom-reader.js';
import type { ScriptContext, ScriptEffects } from './script-effects.js';
import { readScript, type ScriptModel, UnreadableScript } from './script-model.js';
import { StyleReader } from './style-reader.js';

export type { ScriptContext, ScriptEffects } from './script-effects.js';

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
    else {
      const reason = error.message.replace(/^.*? can run \((.*)\): is it.*$/s, '$1');
      none.notes.push(`${file} is not JavaScript a browser can run (${reason}): it does nothing in the page`);
    }
    return none;
  }
  const reader = new StyleReader(model, context);
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
          `${reader.where(node)} writes an inline ${evaluator.string(node.arguments[0])} attribute, ` +
            'which a strict policy blocks',
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
