/**
 * Code a build's author can plant in its loading screen or settings, by kind. Run in Node (as post-processing
 * once did, in `node:vm`), the escapes reach the real `process` through a function of the host realm and write
 * the marker file with the API token the machine holds; the others leave a rejection that kills gulp, spin in a
 * promise callback (no timeout covers those), or fill the heap.
 */
export function plantedCode(marker: string): Array<[kind: string, code: string]> {
  const write = (process: string) =>
    `${process}.getBuiltinModule('fs').writeFileSync(${JSON.stringify(marker)}, ` +
    `String(${process}.env.PLAYCANVAS_API_KEY));`;
  return [
    [
      'console.log.constructor escape',
      `try { var p = console.log.constructor('return process')(); ${write('p')} } catch (e) {}`,
    ],
    ['prototype escape', `var q = Object.getPrototypeOf(pc).constructor('return process')(); ${write('q')}`],
    ['async rejection', `(async function () { var r = await fetch('config.json'); window.cfg = await r.json(); })();`],
    ['promise loop', 'Promise.resolve().then(function () { for (;;) {} });'],
    [
      'allocation in a promise',
      'Promise.resolve().then(function () { var a = []; for (;;) a.push(new Array(1e6).fill(1)); });',
    ],
  ];
}
