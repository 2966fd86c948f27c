/** Whole-or-nothing output files and folders (implemented in the data layer, which writes panels too). */
export { writeFilesAtomic, writeFileAtomic, writeOutputFolder, sweepStale, type OutputFile, type FolderFile, type ChunkWriter } from '../data/outputFiles.js';
