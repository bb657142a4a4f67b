/**
 * Getting an archive's bytes to a private temp file: one GET (with resume), or ranges read while they
 * arrive (the end first), and the temp folders' cleanup.
 */
export { downloadToTemp } from './download.js';
export { downloadWhileReading } from './overlapped-download.js';
export { liveTempDirs, makeTempDir } from './temp-files.js';
