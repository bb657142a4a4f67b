// `pnpm screenshots`: the pictures in docs/, taken by the check itself from the mock's builds (not drawn):
// docs/booted-build.png (the static build) and docs/single-file.png (the same build as one HTML file).
import { fileURLToPath } from 'node:url';
import { checkBuild } from '@gulp-playcanvas/playcanvas-build-check';
import { cspStep, processFiles, singleFileStep } from '@gulp-playcanvas/playcanvas-postprocess';
import { buildFiles, SCRIPTS_RAN, startMock } from 'test-support';

const docs = (name: string) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));
const options = { viewport: { width: 640, height: 360 }, frames: 30, until: SCRIPTS_RAN };

const server = await startMock({ pollsToComplete: 1 });
try {
  const build = await buildFiles(server);
  const booted = await checkBuild(build, { ...options, screenshot: docs('booted-build.png') });
  console.log(`docs/booted-build.png: booted in ${booted.bootMs} ms, ${booted.frames} frames`);
  const single = await processFiles(singleFileStep({ compress: true }), build);
  const { files } = await processFiles(cspStep(), single.files);
  const result = await checkBuild(files, { ...options, screenshot: docs('single-file.png') });
  console.log(
    `docs/single-file.png: one ${(single.report.total / 1024).toFixed(0)} KB file, booted in ${result.bootMs} ms, ` +
      `${result.requests.length} request`,
  );
} finally {
  await server.close();
}
