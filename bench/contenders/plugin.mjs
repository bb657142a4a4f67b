// gulp-playcanvas into gulp.dest: start the build, poll, download, extract. argv: baseUrl token projectId outDir buffer|stream
import { pipeline } from 'node:stream/promises';
import gulp from 'gulp';
import playcanvas from 'gulp-playcanvas';

const [baseUrl, token, projectId, out, mode] = process.argv.slice(2);
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
