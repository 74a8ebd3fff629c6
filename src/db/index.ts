export { openDb, copyLine, copyValue, type Db, type DbConfig, type Row } from './db.ts';
export { migrate, migrationFiles } from './migrate.ts';
export { lockDataDir, DataDirLockedError } from './lock.ts';
export { backupDataDir, restoreDataDir } from './backup.ts';
export { FILE_PART_BYTES, firstPart, writeFileParts, readFileParts, type PartTable } from './file-parts.ts';
