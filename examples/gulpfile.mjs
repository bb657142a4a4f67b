// Download a PlayCanvas build, stamp it, write it to ./build.
// Token and origin come from PLAYCANVAS_API_KEY and PLAYCANVAS_BASE_URL; `pnpm demo` points them at the mock.
import { pipeline } from 'node:stream/promises';
import gulp from 'gulp';
import playcanvas from 'gulp-playcanvas';
import { objectTransform } from 'through2';

const version = process.env.BUILD_VERSION ?? '1.0.0';
const csp = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-eval'";

// Post-process: stamp the version and add a Content-Security-Policy to index.html; pass every other file on.
const stampIndexHtml = () =>
  objectTransform(async (file) => {
    if (file.relative === 'index.html') {
      const html = file.contents.toString('utf8');
      file.contents = Buffer.from(
        html.replace(
          '<head>',
          `<head>\n    <meta http-equiv="Content-Security-Policy" content="${csp}">\n    <meta name="version" content="${version}">`,
        ),
      );
    }
    return file;
  });

export function build() {
  return pipeline(
    playcanvas({
      projectId: Number(process.env.PLAYCANVAS_PROJECT_ID ?? 1000),
      name: process.env.PLAYCANVAS_APP_NAME ?? 'Space Race',
      scenes: (process.env.PLAYCANVAS_SCENES ?? 'Main,Level 2').split(','), // names or ids; the first is the initial scene
      branch: process.env.PLAYCANVAS_BRANCH ?? 'main',
      version,
      scriptsConcatenate: true,
      engineVersion: process.env.PLAYCANVAS_ENGINE_VERSION ?? '2.7.4',
    }),
    stampIndexHtml(),
    gulp.dest('build'),
  );
}

export default build;
