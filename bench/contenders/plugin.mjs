// gulp-playcanvas into gulp.dest: start the build, poll, download, extract. argv: baseUrl token projectId outDir
// buffer|stream
// Prints "job complete" on stderr when the plugin logs it, so the bench can time what follows.
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream/promises';
import playcanvas from '@gulp-playcanvas/gulp-playcanvas';
import gulp from 'gulp';

const [baseUrl, token, projectId, out, mode] = process.argv.slice(2);
// the plugin's own gulplog (no listener means no output; this one only marks the moment)
const log = createRequire(import.meta.resolve('@gulp-playcanvas/gulp-playcanvas'))('gulplog');
const marker = (line) => {
  if (/ completed \(poll/.test(line)) {
    process.stderr.write('job complete\n');
    log.off('info', marker);
  }
};
log.on('info', marker);
await pipeline(
  playcanvas({
    token,
    baseUrl,
    projectId: Number(projectId),
    name: 'Bench',
    scenes: [2000],
    buffer: mode !== 'stream',
    poll: { initialDelayMs: 10 },
  }),
  gulp.dest(out),
);
