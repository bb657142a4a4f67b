import { directoryBuild, singleFileStep } from './dist/index.js';

const build = await directoryBuild('/tmp/build-jwPADI');
const t = performance.now();
await singleFileStep().run(build);
console.log('single', performance.now() - t);
