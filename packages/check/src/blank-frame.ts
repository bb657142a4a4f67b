import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';

/**
 * How far apart, on each of red, green and blue (0–255), the pixels of a frame may be and the frame still be
 * called one colour: a cleared canvas is one exact colour; anything drawn on it, even a dim object, differs by more.
 */
export const BLANK_TOLERANCE = 4;

interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where the app's canvas shows in the viewport (CSS pixels); the whole viewport when it has no visible area. */
async function canvasArea(page: Page, viewport: { width: number; height: number }): Promise<Area> {
  const rect = await page.evaluate(() => {
    const seen = window as unknown as {
      pc?: { Application?: { getApplication?: () => unknown } };
      __pcCheckApp?: unknown;
    };
    const app = (seen.pc?.Application?.getApplication?.() ?? seen.__pcCheckApp) as
      | { graphicsDevice?: { canvas?: Element } }
      | undefined;
    const canvas = app?.graphicsDevice?.canvas ?? document.querySelector('canvas');
    const r = canvas?.getBoundingClientRect();
    return r ? { x: r.left, y: r.top, right: r.right, bottom: r.bottom } : undefined;
  });
  const whole = { x: 0, y: 0, ...viewport };
  if (rect === undefined) return whole;
  const x = Math.max(0, Math.ceil(rect.x));
  const y = Math.max(0, Math.ceil(rect.y));
  const width = Math.min(viewport.width, Math.floor(rect.right)) - x;
  const height = Math.min(viewport.height, Math.floor(rect.bottom)) - y;
  return width > 0 && height > 0 ? { x, y, width, height } : whole;
}

/** The one colour of the area of the screenshot, as `rgb(r, g, b)`; undefined when its pixels differ. */
function oneColour(png: PNG, area: Area): string | undefined {
  const min = [255, 255, 255];
  const max = [0, 0, 0];
  for (let y = area.y; y < area.y + area.height; y++) {
    for (let x = area.x; x < area.x + area.width; x++) {
      const at = (y * png.width + x) * 4;
      for (let c = 0; c < 3; c++) {
        const value = png.data[at + c] as number;
        if (value < (min[c] as number)) min[c] = value;
        if (value > (max[c] as number)) max[c] = value;
      }
    }
    if (max.some((high, c) => high - (min[c] as number) > BLANK_TOLERANCE)) return undefined;
  }
  const first = (area.y * png.width + area.x) * 4;
  return `rgb(${png.data[first]}, ${png.data[first + 1]}, ${png.data[first + 2]})`;
}

export interface Frame {
  /** The screenshot of the viewport (PNG). */
  png: Buffer;
  /** The canvas's one colour, when it shows only one; its size in CSS pixels. */
  blank?: { colour: string; width: number; height: number };
}

/**
 * A screenshot of the page as a player sees it, and whether the app's canvas in it is of one colour. The
 * drawing buffer of a WebGL canvas is gone once the frame is shown (preserveDrawingBuffer is off in builds):
 * the composited screenshot is what is there to read.
 */
export async function readFrame(
  page: Page,
  viewport: { width: number; height: number },
  timeout: number,
): Promise<Frame> {
  const area = await canvasArea(page, viewport);
  const png = await page.screenshot({ scale: 'css', timeout });
  const image = PNG.sync.read(png);
  const shown = {
    ...area,
    width: Math.min(area.width, image.width - area.x),
    height: Math.min(area.height, image.height - area.y),
  };
  const colour = shown.width > 0 && shown.height > 0 ? oneColour(image, shown) : undefined;
  return colour === undefined ? { png } : { png, blank: { colour, width: area.width, height: area.height } };
}
