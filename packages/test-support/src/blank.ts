import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FixtureProject } from '@gulp-playcanvas/playcanvas-mock-server';

/**
 * A script for the test project's `player.js` that turns off every render component when the app starts: the
 * camera clears the canvas to its colour and nothing is drawn, from the first frame on (a blank frame).
 */
export const DRAW_NOTHING_SCRIPT = `var Player = pc.createScript('player');
Player.prototype.initialize = function () {
    this.app.root.findComponents('render').forEach(function (render) { render.enabled = false; });
};
`;

/** A copy of the test project (through fixturesWith) whose first frame is blank: its player.js draws nothing. */
export const BLANK_PROJECT: Partial<FixtureProject> & { id: number } = {
  id: 1201,
  assets: [{ id: 3000, name: 'player.js', type: 'script', filename: 'player.js', content: DRAW_NOTHING_SCRIPT }],
};

/** Takes every render component out of the scenes of a build folder: the camera clears the canvas, nothing is drawn. */
export async function drawNothing(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.json')) continue;
    const scene = JSON.parse(await readFile(join(dir, name), 'utf8')) as {
      entities?: Record<string, { components: object }>;
    };
    if (scene.entities === undefined) continue;
    for (const entity of Object.values(scene.entities)) delete (entity.components as { render?: unknown }).render;
    await writeFile(join(dir, name), JSON.stringify(scene));
  }
}
