import { Readable } from 'node:stream';
import multipart, { type MultipartFile, type MultipartValue } from '@fastify/multipart';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound, validationFailed } from '../common/errors.js';
import { toGlobalId } from '../common/ids.js';
import { assertStorableText, cleanText } from '../common/text.js';
import type { AppDeps } from '../context.js';
import { Admission } from '../http/admission.js';
import { HttpError, bearerContext, requestLanguage, sendError } from '../http/routes.js';
import type { User } from '../users/user.entity.js';
import { ContentTooLarge, discardContent, readContent, storeContent, type StoredContent } from './attachment-content.js';
import { AttachmentRecordType, type Attachment } from './attachment.entity.js';
import * as attachments from './attachment.service.js';
import type { ReceivedFile, UploadFields } from './attachment.service.js';
import { contentDisposition, sanitizeContentType, sanitizeFileName, servedContentType } from './file-meta.js';
import { M } from '../common/messages.js';

// Files over plain HTTP, with the same bearer token and the same access rules as GraphQL:
//   POST /attachments      multipart/form-data: customerId, or recordType + recordId; one file
//   GET  /attachments/:id  the bytes, as a download
// Errors are JSON `{ error: { code, message } }` with the matching HTTP status.

const FIELDS = new Set<keyof UploadFields>(['customerId', 'recordType', 'recordId']);

// The parser's refusals of a form with more files, fields or parts than an upload has.
const MULTIPART_SHAPE = new Set(['FST_FILES_LIMIT', 'FST_FIELDS_LIMIT', 'FST_PARTS_LIMIT', 'FST_PROTO_VIOLATION']);

/** The multipart parser's refusals of a form's shape read as a validation failure. */
function uploadError(error: unknown): unknown {
  const { code } = (error ?? {}) as Partial<FastifyError>;
  if (code && MULTIPART_SHAPE.has(code)) {
    return new HttpError(400, 'VALIDATION_FAILED', M.uploadShape());
  }
  return error;
}

/**
 * Streams one file part into the database (attachment-content.ts), hashing as it goes; stops at
 * `limit` bytes with 413. The bytes are not kept in memory beyond the chunk being written.
 */
async function receiveFile(em: EntityManager, part: MultipartFile, limit: number): Promise<ReceivedFile> {
  const tooLarge = new HttpError(413, 'PAYLOAD_TOO_LARGE', M.fileTooLarge({ limit }));
  // The parser stops passing bytes on at the limit and says so; fail then, not at the part's end.
  part.file.once('limit', () => part.file.destroy(tooLarge));
  let content: StoredContent;
  try {
    content = await storeContent(em, part.file as AsyncIterable<Buffer>, limit);
  } catch (error) {
    throw error instanceof ContentTooLarge ? tooLarge : error;
  }
  const refusal = part.file.truncated ? tooLarge : content.size === 0 ? validationFailed(['file'], M.fileEmpty()) : undefined;
  if (refusal) {
    await discardContent(em, content.attachmentId);
    throw refusal;
  }
  return { fileName: sanitizeFileName(part.filename), contentType: sanitizeContentType(part.mimetype), content };
}

function fieldValue(part: MultipartValue): string {
  if (part.valueTruncated || part.fieldnameTruncated || typeof part.value !== 'string') {
    throw validationFailed([part.fieldname], M.formFieldTooLong({ field: part.fieldname }));
  }
  return cleanText(part.value) ?? '';
}

/** The GraphQL name of a record type (CUSTOMER, QUOTE, ...), as the JSON answers use it. */
function recordTypeName(type: AttachmentRecordType): string {
  return Object.entries(AttachmentRecordType).find(([, value]) => value === type)![0];
}

function attachmentJson(attachment: Attachment, uploader: User | null) {
  return {
    id: attachment.nodeId,
    fileName: attachment.fileName,
    contentType: attachment.contentType,
    size: attachment.size,
    sha256: attachment.sha256,
    recordType: recordTypeName(attachment.recordType),
    recordId: toGlobalId(attachment.recordType, attachment.recordId),
    customerId: toGlobalId('Customer', attachment.customer.id),
    uploadedBy: uploader ? { id: uploader.nodeId, name: uploader.name } : null,
    createdAt: attachment.createdAt.toISOString(),
    version: attachment.version,
    downloadUrl: attachments.downloadPath(attachment),
  };
}

async function upload(app: AppDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const ctx = await bearerContext(app, request);
  if (!request.isMultipart()) {
    throw new HttpError(415, 'VALIDATION_FAILED', M.uploadNotMultipart());
  }
  const fields: UploadFields = {};
  let file: ReceivedFile | undefined;
  let attachment: Attachment;
  try {
    for await (const part of request.parts()) {
      // A form's text is checked as it arrives, like every other input's (text.ts).
      assertStorableText(part.type === 'field' ? part.value : part.filename, [part.type === 'field' ? part.fieldname : 'fileName']);
      if (part.type === 'field') {
        const name = part.fieldname as keyof UploadFields;
        if (!FIELDS.has(name)) throw validationFailed([part.fieldname], M.unknownFormField({ field: part.fieldname.slice(0, 40) }));
        if (fields[name] !== undefined) throw validationFailed([name], M.givenTwice({ field: name }));
        fields[name] = fieldValue(part);
        continue;
      }
      // Fields sent before the file (the usual order) let a refusal come before the bytes are read.
      if (fields.customerId !== undefined || (fields.recordType !== undefined && fields.recordId !== undefined)) {
        await attachments.assertMayAttach(ctx, await attachments.resolveUploadTarget(ctx, fields));
      }
      file = await receiveFile(ctx.em, part, app.config.limits.uploadBytes);
    }
    if (!file) throw validationFailed(['file'], M.attachOneFile());
    const target = await attachments.resolveUploadTarget(ctx, fields);
    attachment = await attachments.createAttachment(ctx, target, file);
  } catch (error) {
    // The bytes of a refused upload go again (those of a stored attachment can't).
    if (file) await discardContent(ctx.em, file.content.attachmentId).catch(() => undefined);
    throw error;
  }
  const uploader = await ctx.loaders.userById.load(attachment.uploadedBy.id);
  return reply
    .code(201)
    .header('location', attachments.downloadPath(attachment))
    .send({ attachment: attachmentJson(attachment, uploader) });
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

async function download(app: AppDeps, request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
  const ctx = await bearerContext(app, request);
  const attachment = await attachments.getAttachment(ctx, request.params.id);
  if (!attachment) throw notFound('Attachment');
  const etag = `"${attachment.sha256}"`;
  void reply.headers({
    'content-disposition': contentDisposition(attachment.fileName),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, no-cache',
    etag,
  });
  if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  return reply
    .type(servedContentType(attachment.contentType))
    .header('content-length', attachment.size)
    .send(Readable.from(readContent(ctx.em, attachment)));
}

/** 503 with Retry-After for an upload beyond MAX_ACTIVE_UPLOADS, before its body is read. */
function refuseBusy(reply: FastifyReply, retryAfter: number): FastifyReply {
  return reply
    .code(503)
    .header('retry-after', String(retryAfter))
    .header('connection', 'close')
    .type('application/json; charset=utf-8')
    .send({ error: { code: 'SERVER_BUSY', message: M.uploadsBusy({ seconds: retryAfter }).text(requestLanguage(reply.request)) } });
}

export function registerAttachmentRoutes(fastify: FastifyInstance, app: AppDeps): void {
  // Each upload in flight holds about a chunk of memory (attachment-content.ts); bounding how many
  // run at once bounds the memory that uploads hold together.
  const { maxActive, retryAfterSeconds } = app.config.uploads;
  const uploads = new Admission({ active: maxActive, queued: 0, waitMs: 0, retryAfterSeconds });
  // Encapsulated: the multipart parser and its limits apply to these routes only; GraphQL keeps
  // its JSON body limit.
  void fastify.register(async (scope) => {
    await scope.register(multipart, {
      limits: {
        fileSize: app.config.limits.uploadBytes,
        files: 1,
        fields: 10,
        fieldSize: 1024,
        fieldNameSize: 100,
        parts: 20,
        headerPairs: 100,
      },
      throwFileSizeLimit: false,
    });
    scope.setErrorHandler((error, request, reply) => sendError(request, reply, uploadError(error), 'attachment request failed'));
    scope.post('/attachments', uploads.guard((request, reply) => upload(app, request, reply), refuseBusy));
    scope.get<{ Params: { id: string } }>('/attachments/:id', (request, reply) => download(app, request, reply));
  });
}
