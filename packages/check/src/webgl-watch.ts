import type { Page } from 'playwright-core';

/** What the page asked of WebGL: the context types it asked for, whether one was made, what the browser said. */
export interface WebglState {
  asked: string[];
  made: boolean;
  /** The statusMessage of the browser's webglcontextcreationerror events, when it gave one. */
  said: string[];
}

const WEBGL_TYPES = ['webgl2', 'webgl', 'experimental-webgl'];

/**
 * Notes, in the page, every WebGL context asked for and whether the browser made it. A browser without WebGL
 * answers getContext with null, and the engine then logs or throws words of its own (or nothing at all):
 * only the page's own calls say for sure that the context could not be created.
 */
export async function watchWebgl(page: Page): Promise<void> {
  await page.addInitScript((types: string[]) => {
    const state = { asked: [] as string[], made: false, said: [] as string[] };
    (window as unknown as { __pcCheckWebgl: typeof state }).__pcCheckWebgl = state;
    const original = HTMLCanvasElement.prototype.getContext;
    const getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
      if (!types.includes(type)) return (original as (...args: unknown[]) => unknown).call(this, type, ...rest);
      const heard = (event: Event) => {
        const message = (event as Event & { statusMessage?: string }).statusMessage;
        if (message && !state.said.includes(message)) state.said.push(message);
      };
      this.addEventListener('webglcontextcreationerror', heard);
      try {
        const context = (original as (...args: unknown[]) => unknown).call(this, type, ...rest);
        if (!state.asked.includes(type)) state.asked.push(type);
        if (context) state.made = true;
        return context;
      } finally {
        this.removeEventListener('webglcontextcreationerror', heard);
      }
    };
    HTMLCanvasElement.prototype.getContext = getContext as typeof original;
  }, WEBGL_TYPES);
}

/** What the page asked of WebGL so far (nothing, when the page does not answer). */
export async function readWebgl(page: Page): Promise<WebglState> {
  const state = await page
    .evaluate(() => (window as unknown as { __pcCheckWebgl?: WebglState }).__pcCheckWebgl)
    .catch(() => undefined);
  return state ?? { asked: [], made: false, said: [] };
}
