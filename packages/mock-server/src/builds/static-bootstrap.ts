import { preloadModuleLines } from './asset-files.js';
import { scriptsOf } from './content.js';
import type { BuildEntry, BuildSpec } from './spec.js';
import { escapeHtml, template } from './templates.js';

/**
 * The bootstrap files of a classic build: index.html, __settings__.js, __start__.js, __modules__.js,
 * __loading__.js, styles.css. `appbase` is the template of exports since 2024 (engine 1.73+ and 2.x: `window.`
 * settings with `deviceTypes`, `new pc.AppBase`); `application` the one of 2022 exports (engine 1.5x: bare
 * globals with `preferWebGl2`, `new pc.Application`, the media query built by string concatenation, and the
 * older __modules__.js with its own loader). index.html, __loading__.js and styles.css are the same in both.
 */
export function classicBootstrapEntries(
  spec: BuildSpec,
  bootstrap: 'appbase' | 'application',
  assetBase: string,
): BuildEntry[] {
  const modules = preloadModuleLines(spec.project, assetBase);
  const set = bootstrap === 'application' ? 'classic-application' : 'static';
  return [
    {
      name: 'index.html',
      content: template('index.html', {
        title: escapeHtml(spec.name),
        modulesTag: modules.length > 0 ? '    <script src="__modules__.js"></script>\n' : '',
      }),
    },
    {
      name: '__settings__.js',
      content: template(
        '__settings__.js',
        {
          scenePath: spec.scenes[0] ? `${spec.scenes[0].id}.json` : '',
          scripts: scriptsOf(spec.project)
            .map((s) => s.id)
            .join(', '),
          preloadModules: modules.join(''),
        },
        set,
      ),
    },
    { name: '__start__.js', content: template('__start__.js', {}, set) },
    { name: '__modules__.js', content: template('__modules__.js', {}, set) },
    { name: '__loading__.js', content: template('__loading__.js') },
    { name: 'styles.css', content: template('styles.css') },
  ];
}
