import type { Known, StaticValue } from './static-value.js';

/**
 * What a boot script (the loading screen, `__start__.js`...) puts in the page when it runs, read from its
 * syntax tree: the text of every <style> it fills or extends, the images it shows. What it computes only at
 * run time is listed as unreadable, naming the line, for the step to refuse or to be told it is covered.
 */
export interface ScriptEffects {
  /** Every text an inline <style> holds while in the page: each needs its hash. */
  styles: string[];
  /** The URLs of the images it shows (the Editor's default loading screen shows ASSET_PREFIX + 'logo.png'). */
  images: string[];
  unreadableStyles: string[];
  unreadableImages: string[];
  /** What it writes that a strict policy blocks (style="" attributes, on...= handlers, eval). */
  notes: string[];
}

export interface ScriptContext {
  /** Globals the page has when the script runs (the settings' ASSET_PREFIX...). */
  globals: (name: string) => Known;
  /** The text of index.html's first <style>, which `document.head.querySelector('style')` finds. */
  firstStyleText: string | undefined;
  /** Values of `object.property` expressions (`app._width` from config.json). */
  members?: Record<string, StaticValue>;
  /** What a module imports (`import { ASSET_PREFIX } from './__settings__.mjs'`), by specifier and name. */
  imported?: (specifier: string, name: string) => Known;
}
