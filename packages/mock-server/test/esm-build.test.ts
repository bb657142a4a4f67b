import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { bundleEsmBuild } from '../src/builds/esm-bundle.js';
import { engineImportFrom, esmScriptPath, esmScriptUrl, moduleScriptSource } from '../src/builds/esm-scripts.js';
import { defaultFixtures, FixtureError, validateFixtures } from '../src/index.js';
import { call, fetchBytes, withServer } from './helpers.js';

const asset = (folder?: string, content?: string) => ({
  id: 1,
  name: 'Orbit.mjs',
  type: 'script' as const,
  filename: 'orbit.mjs',
  ...(folder === undefined ? {} : { folder }),
  ...(content === undefined ? {} : { content }),
});

describe('ES module scripts in a build', () => {
  it('sit under js/esm-scripts/ in their Editor folder, spaces kept, and import the engine one ../ per folder', () => {
    expect(esmScriptPath(asset('Scripts/camera rig'))).toBe('esm-scripts/Scripts/camera rig/orbit.mjs');
    expect(esmScriptUrl(asset('Scripts/camera rig'))).toBe('./js/esm-scripts/Scripts/camera rig/orbit.mjs');
    expect(esmScriptPath(asset())).toBe('esm-scripts/orbit.mjs');
    expect(engineImportFrom('esm-scripts/Scripts/camera rig/orbit.mjs')).toBe('../../../playcanvas-stable.min.mjs');
    expect(engineImportFrom('esm-scripts/orbit.mjs')).toBe('../playcanvas-stable.min.mjs');
  });

  it("have the fixture's imports of 'playcanvas' made relative, as the Editor's build does; other imports stay", () => {
    const source =
      'import { Script } from \'playcanvas\';\nimport * as pc from "playcanvas";\nimport { Yuka } from ' +
      "'yuka';\nconst x = await import('playcanvas');\n";
    expect(moduleScriptSource(asset('Scripts', source))).toBe(
      "import { Script } from '../../playcanvas-stable.min.mjs';\nimport * as pc from " +
        '"../../playcanvas-stable.min.mjs";\n' +
        "import { Yuka } from 'yuka';\nconst x = await import('../../playcanvas-stable.min.mjs');\n",
    );
  });

  it('refuses a folder that climbs out, naming the field', () => {
    const fixtures = defaultFixtures();
    const project = fixtures.projects.find((p) => p.id === 1003);
    const index = fixtures.projects.indexOf(project as NonNullable<typeof project>);
    const at = (project?.assets ?? []).findIndex((a) => a.filename.endsWith('.mjs'));
    (project?.assets?.[at] as { folder: string }).folder = 'Scripts/../..';
    expect(() => validateFixtures(JSON.parse(JSON.stringify(fixtures)))).toThrow(FixtureError);
    expect(() => validateFixtures(JSON.parse(JSON.stringify(fixtures)))).toThrow(
      `projects[${index}].assets[${at}].folder must be an Editor folder path`,
    );
  });
});

describe('the concatenated bundle', () => {
  it('says which module imports what the build does not have', async () => {
    const modules = new Map([
      ['index.mjs', "import './missing.mjs';\n"],
      [
        'playcanvas-stable.min.mjs',
        'export const x = 1; function _loadModule(importUrl) { return import(importUrl.toString()); }\n',
      ],
    ]);
    await expect(bundleEsmBuild(modules, [])).rejects.toThrow(
      'bundleEsmBuild: /js/index.mjs imports ./missing.mjs, which the build does not have',
    );
  });

  it("leaves a bare import (an import map's entry) to the page, as the Editor's bundles do", async () => {
    const modules = new Map([
      ['index.mjs', "import { x } from './playcanvas-stable.min.mjs';\nconsole.log(x);\n"],
      [
        'playcanvas-stable.min.mjs',
        'export const x = 1; function _loadModule(importUrl) { return import(importUrl.toString()); }\n',
      ],
      ['esm-scripts/a.mjs', "import { Vehicle } from 'yuka';\nexport class A extends Vehicle {}\n"],
    ]);
    const bundled = await bundleEsmBuild(modules, ['esm-scripts/a.mjs']);
    expect(bundled.esm).toMatch(/^import \{ Vehicle \} from 'yuka';\n/);
    expect(bundled.index).toContain('case "./esm-scripts/a.mjs":return import(\'./esm.mjs\')');
  });

  it('refuses an engine whose script loader it cannot route', async () => {
    const modules = new Map([
      ['index.mjs', "import { x } from './playcanvas-stable.min.mjs';\nconsole.log(x);\n"],
      ['playcanvas-stable.min.mjs', 'export const x = 1;\n'],
    ]);
    await expect(bundleEsmBuild(modules, [])).rejects.toThrow(
      'the engine has 0 script-loader import() calls where one was expected',
    );
  });
});

describe('a project export of an ES module project', () => {
  it("holds the .mjs scripts as the project has them: importing 'playcanvas', a Script subclass", async () => {
    await withServer({ pollsToComplete: 1 }, async (server) => {
      const started = await call(server, 'POST', '/api/projects/1003/export');
      const job = (await call(server, 'GET', `/api/jobs/${started.json.id}`)).json;
      const zip = await JSZip.loadAsync(await fetchBytes(job.data.url));
      const source = await zip.file('assets/6100/1/garden-spin.mjs')?.async('string');
      expect(source).toMatch(/^import \{ Script \} from 'playcanvas';\n/);
      expect(source).toContain('class GardenSpin extends Script {');
    });
  });
});
