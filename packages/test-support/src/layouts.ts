import { editorLayoutProjects, type StartOptions } from 'playcanvas-mock-server';
import { fixtures } from './index.js';

/**
 * The request bodies (POST /api/apps/download) that make each layout the Editor writes (editor-builds.md §10),
 * from the mock's layout projects: 1003 "Module Garden" (ES module scripts only) and 1004 "Mixed Harbour"
 * (classic and ES module scripts). Start the mock with `layoutFixtures()` to build them with TOKEN.
 */
export const EDITOR_LAYOUTS: ReadonlyArray<{ name: string; body: Record<string, unknown> }> = [
  { name: 'esm', body: { project_id: 1003, name: 'Module Garden', scenes: [2300, 2301] } },
  { name: 'esm concatenated', body: { project_id: 1003, name: 'Module Garden', scenes: [2300, 2301], scripts_concatenate: true } },
  { name: 'mixed', body: { project_id: 1004, name: 'Mixed Harbour', scenes: [2400, 2401] } },
  { name: 'mixed concatenated', body: { project_id: 1004, name: 'Mixed Harbour', scenes: [2400, 2401], scripts_concatenate: true } },
];

/** The test fixtures with the mock's layout projects added, TOKEN let in to each. */
export function layoutFixtures(): NonNullable<StartOptions['fixtures']> {
  const f = fixtures();
  for (const project of editorLayoutProjects()) {
    f.projects.push(project);
    f.tokens[0]?.projects.push(project.id);
  }
  return f;
}
