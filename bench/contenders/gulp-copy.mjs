// gulp's own copy of the extracted build, the floor for any gulp plugin: gulp.src(tree, { encoding: false })
// into gulp.dest, with buffer or streaming contents. argv: treeDir outDir buffer|stream
import { pipeline } from 'node:stream/promises';
import gulp from 'gulp';

const [tree, out, mode] = process.argv.slice(2);
await pipeline(
  gulp.src('**/*', { cwd: tree, encoding: false, buffer: mode !== 'stream', nodir: true }),
  gulp.dest(out),
);
