// What a gulp user assembles today: gulp-download-stream, gulp-buffer (gulp-unzip cannot read the stream
// contents gulp-download-stream gives: terrierscript/gulp-unzip#27), gulp-unzip, gulp.dest. argv: url outDir
import gulp from 'gulp';
import buffer from 'gulp-buffer';
import download from 'gulp-download-stream';
import unzip from 'gulp-unzip';

const [url, out] = process.argv.slice(2);
await new Promise((resolve, reject) => {
  download({ url, file: 'build.zip' })
    .on('error', reject)
    .pipe(buffer())
    .on('error', reject)
    .pipe(unzip())
    .on('error', reject)
    .pipe(gulp.dest(out))
    .on('error', reject)
    .on('finish', resolve);
});
