/**
 * Reading zip archives safely: the central directory, entries checked before any is given, inflation,
 * extraction to a folder, and the downloaded archive (whole, or still arriving) with its lifetime.
 */
export { Archive, type ArchiveEntry, openArchive, unsafeNameReason } from './archive.js';
export { ArrivingFile } from './arriving-file.js';
export { readFully } from './byte-source.js';
export { type Arrival, DownloadedArchive } from './downloaded-archive.js';
export { type ExtractOptions, type ExtractResult, extractArchive } from './extract.js';
