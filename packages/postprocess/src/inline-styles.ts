import { createSandbox, tolerant } from './sandbox.js';

/**
 * Styles that boot scripts insert while the page starts. A strict policy must list each by hash, so they are
 * found here: the Editor's `__start__.js` appends a media query sized to the app to the page's first <style>,
 * and loading screens (the Editor's default and most custom ones) insert a <style> when they are created.
 */
export interface RuntimeStyles {
  /** Every text an inline <style> holds at some point: each needs its hash. */
  texts: string[];
  notes: string[];
}

export interface LoadingScreenEffects extends RuntimeStyles {
  /** The URLs of the images it shows (the Editor's default shows ASSET_PREFIX + 'logo.png'). */
  images: string[];
}

/**
 * The Editor's `initCSS()`: `var css = \`@media ... ${app._width}/${app._height} ...\`` appended to
 * `document.head.querySelector('style')`. Returns the style's text after the append, or a note when the
 * pattern is there but cannot be worked out.
 */
export function startScriptStyle(
  source: string,
  file: string,
  firstStyleText: string | undefined,
  size: { width: number | undefined; height: number | undefined },
): RuntimeStyles {
  if (!/querySelector\(\s*['"]style['"]\s*\)\.innerHTML\s*\+=\s*css/.test(source)) return { texts: [], notes: [] };
  const template = /\bcss\s*=\s*`([^`]*)`/.exec(source)?.[1];
  const unknown = (why: string): RuntimeStyles => ({
    texts: [],
    notes: [
      `${file} appends a style to the page's <style> that could not be worked out (${why}); if check() reports a style-src violation, add its hash with the style option`,
    ],
  });
  if (template === undefined) return unknown('its CSS is not one template string');
  if (firstStyleText === undefined) return unknown('index.html has no <style> for it to extend');
  if (size.width === undefined || size.height === undefined) return unknown('config.json has no application width and height');
  const values: Record<string, string> = { 'app._width': String(size.width), 'app._height': String(size.height) };
  let missing: string | undefined;
  const css = template.replace(/\$\{\s*([^}]*?)\s*\}/g, (_, expression: string) => {
    const value = values[expression];
    if (value === undefined) missing = expression;
    return value ?? '';
  });
  if (missing !== undefined) return unknown(`it depends on ${missing}`);
  return { texts: [firstStyleText + css], notes: [] };
}

interface FakeNode {
  nodeType: number;
  tagName?: string;
  parentNode: FakeElement | null;
  textContent: string;
}

interface FakeElement extends FakeNode {
  tagName: string;
  childNodes: FakeNode[];
  attributes: Record<string, string>;
  appendChild(node: FakeNode): FakeNode;
}

const BLOCKED_TIMER_CALLBACKS = 1000;

/**
 * Runs a loading-screen script the way the engine would (settings first, then `pc.script.createLoadingScreen`
 * with an app whose preload and start events fire) against a small stand-in DOM, and collects the text of
 * every <style> it attaches and every image it shows. Inline `style="..."` attributes it writes are noted: a strict policy blocks them.
 */
export function loadingScreenEffects(settingsSource: string, loadingSource: string, file: string): LoadingScreenEffects {
  const notes: string[] = [];
  const styles = new Set<FakeElement>();
  const images: FakeElement[] = [];
  const texts = new Set<string>();
  let styleAttributes = 0;

  const attached = (node: FakeNode | null): boolean => {
    for (let n = node; n; n = n.parentNode) if (n === document.documentElement) return true;
    return false;
  };
  const noteStyles = (node: FakeNode) => {
    if (!attached(node)) return;
    const visit = (n: FakeNode) => {
      if (n.nodeType === 1 && n.tagName === 'STYLE') {
        styles.add(n as FakeElement);
        texts.add(n.textContent);
      }
      for (const child of (n as FakeElement).childNodes ?? []) visit(child);
    };
    visit(node);
  };
  const textNode = (text: string): FakeNode => ({ nodeType: 3, parentNode: null, textContent: String(text) });
  const element = (tag: string): FakeElement => {
    let ownText: string | undefined;
    // the proxy below: what other nodes must hold as their parent, and what noteStyles compares
    let self: FakeElement;
    const el: FakeElement & Record<string, unknown> = {
      nodeType: 1,
      tagName: tag.toUpperCase(),
      parentNode: null,
      childNodes: [],
      attributes: {},
      style: tolerant(),
      classList: tolerant(),
      dataset: {},
      get textContent(): string {
        return ownText ?? el.childNodes.map((c) => c.textContent).join('');
      },
      set textContent(value: string) {
        ownText = String(value);
        el.childNodes = [];
        if (el.tagName === 'STYLE') noteStyles(self);
      },
      get innerHTML(): string {
        return el.textContent;
      },
      set innerHTML(value: string) {
        if (/\bstyle\s*=/i.test(String(value))) styleAttributes += 1;
        el.textContent = String(value);
      },
      get innerText(): string {
        return el.textContent;
      },
      set innerText(value: string) {
        el.textContent = String(value);
      },
      get parentElement() {
        return el.parentNode;
      },
      get children() {
        return el.childNodes.filter((c) => c.nodeType === 1);
      },
      appendChild(node: FakeNode) {
        node.parentNode = self as FakeElement;
        if (ownText !== undefined) {
          el.childNodes = ownText === '' ? [] : [textNode(ownText)];
          ownText = undefined;
        }
        el.childNodes.push(node);
        noteStyles(el.tagName === 'STYLE' ? self : node);
        return node;
      },
      insertBefore(node: FakeNode) {
        return self.appendChild(node);
      },
      removeChild(node: FakeNode) {
        el.childNodes = el.childNodes.filter((c) => c !== node);
        node.parentNode = null;
        return node;
      },
      remove() {
        el.parentNode?.childNodes.splice(el.parentNode.childNodes.indexOf(self), 1);
        el.parentNode = null;
      },
      setAttribute(name: string, value: unknown) {
        if (String(name).toLowerCase() === 'style') styleAttributes += 1;
        el.attributes[String(name).toLowerCase()] = String(value);
      },
      getAttribute(name: string) {
        return el.attributes[String(name).toLowerCase()] ?? null;
      },
      querySelector: (selector: string) => find(el, selector),
      querySelectorAll: () => [],
      addEventListener() {},
      removeEventListener() {},
    };
    // what a real element lacks must read as absent (`if (style.styleSheet)` is old IE); anything else is tolerated
    const proxy = new Proxy(el, {
      get(target, key, receiver) {
        if (key in target) return Reflect.get(target, key, receiver);
        if (key === 'styleSheet' || key === 'then' || typeof key === 'symbol') return undefined;
        return tolerant();
      },
    }) as FakeElement;
    self = proxy;
    if (el.tagName === 'IMG') images.push(proxy);
    return proxy;
  };
  const find = (root: FakeElement, selector: string): FakeElement | null => {
    const byId = /^#([\w-]+)$/.exec(selector.trim());
    const byTag = /^([a-z]+)$/i.exec(selector.trim());
    const match = (n: FakeNode): FakeElement | null => {
      if (n.nodeType === 1) {
        const e = n as FakeElement;
        if (byId && e.attributes.id === byId[1]) return e;
        if (byTag && e.tagName === (byTag[1] as string).toUpperCase()) return e;
        if (byId && (e as unknown as { id?: unknown }).id === byId[1]) return e;
        for (const c of e.childNodes) {
          const found = match(c);
          if (found) return found;
        }
      }
      return null;
    };
    for (const c of root.childNodes) {
      const found = match(c);
      if (found) return found;
    }
    return null;
  };

  const html = element('html');
  const head = element('head');
  const body = element('body');
  const document = {
    documentElement: html,
    head,
    body,
    createElement: element,
    createTextNode: textNode,
    getElementById: (id: string) => find(html, `#${id}`),
    querySelector: (selector: string) => find(html, selector),
    querySelectorAll: () => [],
    addEventListener() {},
    removeEventListener() {},
  };
  html.appendChild(head);
  html.appendChild(body);

  const timers: Array<() => void> = [];
  const handlers = new Map<string, Array<(...args: unknown[]) => void>>();
  const app = tolerant({
    on(name: string, handler: (...args: unknown[]) => void) {
      handlers.set(name, [...(handlers.get(name) ?? []), handler]);
      return app;
    },
    once(name: string, handler: (...args: unknown[]) => void) {
      handlers.set(name, [...(handlers.get(name) ?? []), handler]);
      return app;
    },
    off() {
      return app;
    },
  });
  let loadingScreen: ((app: unknown) => void) | undefined;
  const pc = tolerant({
    script: tolerant({
      createLoadingScreen(callback: (app: unknown) => void) {
        loadingScreen = callback;
      },
    }),
  });
  const sandbox = createSandbox({
    pc,
    document,
    navigator: tolerant({ userAgent: 'Mozilla/5.0' }),
    location: tolerant({ href: 'http://localhost/index.html', protocol: 'http:', search: '' }),
    setTimeout: (callback: () => void) => timers.push(callback),
    setInterval: (callback: () => void) => timers.push(callback),
    requestAnimationFrame: (callback: () => void) => timers.push(callback),
    clearTimeout() {},
    clearInterval() {},
    cancelAnimationFrame() {},
    console: { log() {}, info() {}, warn() {}, error() {}, debug() {} },
    Image: function Image() {
      return element('img');
    },
    __pcStart() {
      loadingScreen?.(app);
      for (const [name, args] of [
        ['preload:start', []],
        ['preload:progress', [0.5]],
        ['preload:progress', [1]],
        ['preload:end', []],
        ['start', []],
      ] as const) {
        for (const handler of handlers.get(name) ?? []) handler(...args);
      }
      for (let i = 0; i < timers.length && i < BLOCKED_TIMER_CALLBACKS; i++) timers[i]?.();
    },
  });
  try {
    sandbox.run(settingsSource, '__settings__.js');
    sandbox.run(loadingSource, file);
    sandbox.run('__pcStart()', file);
  } catch (error) {
    notes.push(
      `${file} could not be run to find the styles it inserts (${(error as Error).message}); if check() reports a style-src violation, add its hash with the style option`,
    );
  }
  for (const style of styles) texts.add(style.textContent);
  if (styleAttributes > 0)
    notes.push(`${file} writes inline style attributes (style="..."), which a strict policy blocks: set element.style properties instead`);
  const sources = images
    .map((img) => (img as unknown as { src?: unknown }).src)
    .filter((src): src is string => typeof src === 'string' && src !== '');
  return { texts: [...texts], images: [...new Set(sources)], notes };
}
