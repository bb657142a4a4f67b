import type { ResolvedCheckOptions } from '@gulp-playcanvas/playcanvas-build-check/options';

/** Boots the written folder in headless Chromium; a BuildCheckError (listing what broke) fails the task. */
export async function checkFolder(dir: string, options: ResolvedCheckOptions): Promise<string> {
  // loaded only when asked for: the browser driver is the heaviest thing the task could load
  const { checkBuild, describeBoot } = await import('@gulp-playcanvas/playcanvas-build-check');
  const result = await checkBuild(dir, options);
  return `check: the build ${describeBoot(result)}`;
}
