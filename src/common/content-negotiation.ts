import type { FastifyReply } from 'fastify';

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const MEDIA_TYPES = { csv: 'text/csv', xlsx: XLSX_TYPE } as const;
export type Download = keyof typeof MEDIA_TYPES;

/**
 * Which representation a request asks for, decided one way for every route that offers a
 * download beside its JSON: `?format=` wins when given (json, or one of `offered`); otherwise an
 * Accept header that lists an offered media type; otherwise JSON.
 */
export function negotiate<D extends Download>(
  format: string | undefined,
  accept: string | undefined,
  offered: readonly D[],
): D | 'json' {
  if (format) return (offered as readonly string[]).includes(format) ? (format as D) : 'json';
  const listed = (accept ?? '').split(',').map((part) => part.split(';')[0].trim().toLowerCase());
  return offered.find((d) => listed.includes(MEDIA_TYPES[d])) ?? 'json';
}

/** Headers of a CSV file download (the body is the caller's). */
export function csvAttachment(reply: FastifyReply, filename: string): FastifyReply {
  return reply.header('content-type', CSV_TYPE).header('content-disposition', `attachment; filename="${filename}"`);
}
