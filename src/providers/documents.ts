// Documents of a provider's dossier: evidence a provider uploads for an admission requirement and the letters of the
// enforcement ladder, stored as bytea with type, size, SHA-256 and who uploaded them when (migration 014 says why in
// the database). Scopes: the region reads all; a provider only its own; a municipality none. Every download is
// written to the audit log by its route.
import { readFileSync } from 'node:fs';
import { firstPart, readFileParts, writeFileParts, type Db } from '../db/index.ts';
import { typed, inScope, registerScopedTables, sql } from '../db/query.ts';
import type { Account, DataScope } from '../access/roles.ts';
import { AppError, badRequest, forbidden, notFound } from '../core/errors.ts';
import { checkDocument, DEFAULT_DOCUMENT_MAX_MB, type CheckedDocument } from './files.ts';
import { validateEvidence, evidenceTarget } from './admission.ts';

registerScopedTables('provider_document', 'provider_conversation', 'provider_agreement');

const MB = 1024 * 1024;
/** An insert into a scoped table whose region and provider the caller has checked against the scope first. */
export const SCOPE_CHECKED = sql.raw('/*scope*/');

/** The region's limit for one document, in bytes (admission_setting.document_max_mb, default 10 MB). */
export async function documentMaxBytes(db: Db, regionId: string): Promise<number> {
  const r = await typed(db).selectFrom('admission_setting').select('document_max_mb').where('region_id', '=', regionId).executeTakeFirst();
  return (r?.document_max_mb ?? DEFAULT_DOCUMENT_MAX_MB) * MB;
}

function readable(scope: DataScope, providerId: number) {
  if (scope.municipalityCode !== null) throw forbidden('Een gemeente ziet geen documenten uit het dossier van een aanbieder');
  if (scope.providerId !== null && scope.providerId !== providerId) throw notFound(`Aanbieder ${providerId}`);
}

/**
 * Stores a checked document (inside the caller's transaction) and returns its id. The bytes travel as base64 text
 * (decode/encode in SQL): PGlite converts a bytea parameter byte by byte in JavaScript, 20 s for 10 MB; base64 takes 0.6 s.
 * Only the first 256 kB go in the row, the rest one part per statement (migration 034, db/file-parts.ts): one 10 MB
 * statement held the embedded database's thread, and with it every other request, for about a second.
 */
export async function insertDocument(
  tx: Db,
  regionId: string,
  providerId: number,
  kind: 'bewijs' | 'brief',
  doc: CheckedDocument,
  content: Buffer,
  account: Account | null,
): Promise<number> {
  const { id } = await typed(tx)
    .insertInto('provider_document')
    .values({
      region_id: regionId,
      provider_id: providerId,
      kind,
      file_name: doc.fileName,
      media_type: doc.mediaType,
      bytes: doc.bytes,
      sha256: doc.sha256,
      content: sql<Buffer>`decode(${firstPart(content).toString('base64')}, 'base64')`,
      uploaded_by_id: account?.id ?? null,
      uploaded_by: account?.displayName ?? 'systeem',
    })
    .returning('id')
    .modifyEnd(SCOPE_CHECKED)
    .executeTakeFirstOrThrow();
  await writeFileParts(tx, 'provider_document_part', Number(id), content);
  return Number(id);
}

export interface DocumentInfo {
  id: number;
  kind: string;
  fileName: string;
  mediaType: string;
  bytes: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  evidence: { applicationId: number; requirement: string } | null;
  enforcementStep: { id: number; step: string } | null;
}

/** The documents of one provider's dossier (no content), newest first. */
export async function listDocuments(db: Db, scope: DataScope, providerId: number): Promise<DocumentInfo[]> {
  readable(scope, providerId);
  const rows = await typed(db)
    .selectFrom('provider_document as d')
    .leftJoin('admission_evidence as e', 'e.document_id', 'd.id')
    .leftJoin('enforcement_step as s', 's.document_id', 'd.id')
    .select([
      'd.id',
      'd.kind',
      'd.file_name',
      'd.media_type',
      'd.bytes',
      'd.sha256',
      'd.uploaded_by',
      'd.uploaded_at',
      'e.application_id',
      'e.requirement',
      's.id as step_id',
      's.step',
    ])
    .where(inScope(scope, { region: 'd.region_id', provider: 'd.provider_id' }))
    .where('d.provider_id', '=', providerId)
    .orderBy('d.uploaded_at', 'desc')
    .orderBy('d.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    fileName: r.file_name,
    mediaType: r.media_type,
    bytes: r.bytes,
    sha256: r.sha256.trim(),
    uploadedBy: r.uploaded_by,
    uploadedAt: new Date(r.uploaded_at).toISOString(),
    evidence: r.application_id !== null && r.requirement !== null ? { applicationId: r.application_id, requirement: r.requirement } : null,
    enforcementStep: r.step_id !== null && r.step !== null ? { id: r.step_id, step: r.step } : null,
  }));
}

/** One document with its content, in scope (another provider's document is not found). */
export async function getDocument(db: Db, scope: DataScope, providerId: number, documentId: number) {
  readable(scope, providerId);
  const d = await typed(db)
    .selectFrom('provider_document as d')
    .select(['d.id', 'd.file_name', 'd.media_type', 'd.bytes', 'd.sha256', sql<string>`encode(d.content, 'base64')`.as('content')])
    .where(inScope(scope, { region: 'd.region_id', provider: 'd.provider_id' }))
    .where('d.provider_id', '=', providerId)
    .where('d.id', '=', documentId)
    .executeTakeFirst();
  if (!d) throw notFound(`Document ${documentId}`);
  // the first part from the row read in scope, then its parts (none for a document stored before migration 034)
  const content = await readFileParts(db, 'provider_document_part', Number(d.id), Buffer.from(d.content, 'base64'));
  return { id: Number(d.id), fileName: d.file_name, mediaType: d.media_type, sha256: d.sha256.trim(), content };
}

/**
 * Evidence for one requirement with its document, as one change: the file is checked (type from its bytes, size,
 * name) and stored with the evidence row, or nothing is stored. The description defaults to the file name.
 */
export async function uploadEvidence(
  db: Db,
  scope: DataScope,
  account: Account | null,
  applicationId: number,
  input: { requirement: string; description?: string; validUntil?: string | null; fileName: string; declaredType: string | null },
  file: { path: string; bytes: number } | null,
) {
  if (!file || file.bytes === 0) {
    if (!input.fileName.trim()) throw badRequest('geef de bestandsnaam', 'fileName');
    throw badRequest(`bestand '${input.fileName}' is leeg: stuur de inhoud van het bestand als body`, 'body', 'leeg');
  }
  const target = await evidenceTarget(db, scope, applicationId);
  const max = await documentMaxBytes(db, scope.regionId);
  const content = readFileSync(file.path);
  const doc = checkDocument(input.fileName, input.declaredType, content, max);
  const evidence = validateEvidence({
    requirement: input.requirement,
    description: input.description?.trim() || doc.fileName,
    validUntil: input.validUntil ?? null,
  });
  return db.transaction(async (tx) => {
    const documentId = await insertDocument(tx, scope.regionId, target.providerId, 'bewijs', doc, content, account);
    const by = account?.displayName ?? 'systeem';
    await typed(tx)
      .insertInto('admission_evidence')
      .values({
        application_id: applicationId,
        requirement: evidence.requirement,
        description: evidence.description,
        valid_until: evidence.validUntil,
        added_by: by,
        document_id: documentId,
      })
      .onConflict((oc) =>
        oc
          .columns(['application_id', 'requirement'])
          .doUpdateSet({ description: evidence.description, valid_until: evidence.validUntil, added_by: by, added_at: sql`now()`, document_id: documentId }),
      )
      .execute();
    return { documentId, fileName: doc.fileName, mediaType: doc.mediaType, bytes: doc.bytes, sha256: doc.sha256 };
  });
}

/** Refuses, before the body is read, an upload whose declared length is over the region's limit. */
export async function refuseTooLarge(db: Db, regionId: string, contentLength: number) {
  const max = await documentMaxBytes(db, regionId);
  if (contentLength > max) {
    throw new AppError(
      413,
      'Bestand te groot',
      `het bestand is ${(contentLength / MB).toFixed(1).replace('.', ',')} MB; de grens is ${max / MB} MB`,
      'body',
      'te-groot',
    );
  }
}
