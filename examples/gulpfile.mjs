// Download a PlayCanvas build, post-process it, check that it boots, and only then write it to ./build.
// Token and origin come from PLAYCANVAS_API_KEY and PLAYCANVAS_BASE_URL; `pnpm demo` points them at the mock.
import { pipeline } from 'node:stream/promises';
import playcanvas, { check, csp, singleFile, stampVersion } from '@gulp-playcanvas/gulp-playcanvas';
import gulp from 'gulp';

const version = process.env.BUILD_VERSION ?? '1.0.0';

const download = () =>
  playcanvas({
    projectId: Number(process.env.PLAYCANVAS_PROJECT_ID ?? 1000),
    name: process.env.PLAYCANVAS_APP_NAME ?? 'Space Race',
    // names or ids; the first is the initial scene
    scenes: (process.env.PLAYCANVAS_SCENES ?? 'Main,Level 2').split(','),
    branch: process.env.PLAYCANVAS_BRANCH ?? 'main',
    version,
    scriptsConcatenate: true,
    engineVersion: process.env.PLAYCANVAS_ENGINE_VERSION ?? '2.23.3',
  });

// The self-hosted build: versioned, under a strict Content-Security-Policy, proven to boot.
export function build() {
  return pipeline(
    download(),
    stampVersion(version), // <meta name="version">, window.BUILD_VERSION, ?v= on the files index.html loads
    csp(), // a policy derived from the build: hashes, no 'unsafe-inline'
    check(), // boots it in headless Chromium; a black screen fails the task here, not on a player's phone
    gulp.dest('build'),
  );
}

// The same game as one HTML file under 5 MB, for ad networks.
export function playable() {
  return pipeline(
    download(),
    singleFile({ compress: true, maxBytes: 5 * 1024 * 1024 }),
    csp(),
    check(),
    gulp.dest('playable'),
  );
}

export default build;
