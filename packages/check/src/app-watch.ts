import type { Page } from 'playwright-core';

/** The id every Editor bootstrap gives the app's canvas (pcBootstrap.createCanvas, classic and ES module). */
export const APP_CANVAS_ID = 'application-canvas';

/**
 * Catches the app as the engine registers it, for builds that set no `window.pc` (ES module builds of projects
 * without classic scripts). Every engine since 1.x runs `AppBase._applications[canvas.id] = this` in the app's
 * constructor; a setter for the canvas id on Object.prototype sees that one assignment, keeps the value where
 * the engine put it (an own property, as without the setter) and removes itself, so nothing else in the page
 * ever meets it.
 */
export async function watchApp(page: Page): Promise<void> {
  await page.addInitScript((id: string) => {
    Object.defineProperty(Object.prototype, id, {
      configurable: true,
      get: () => undefined,
      set(this: object, value: unknown) {
        Object.defineProperty(this, id, { value, writable: true, enumerable: true, configurable: true });
        if (value && typeof value === 'object' && 'root' in value) {
          delete (Object.prototype as Record<string, unknown>)[id];
          (window as unknown as { __pcCheckApp?: unknown }).__pcCheckApp = value;
        }
      },
    });
  }, APP_CANVAS_ID);
}
