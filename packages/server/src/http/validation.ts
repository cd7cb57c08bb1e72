import type { FastifySchemaCompiler } from 'fastify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import type { z } from 'zod';
import { ValidationError } from '../errors/index.js';
import { zodIssues } from '../services/zod-issues.js';

const PREFIX: Readonly<Record<string, string[]>> = {
  body: [],
  querystring: ['query'],
  params: ['params'],
  headers: ['headers'],
};

/** Validates each part of a request with its zod schema; a failure names every bad field. */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    const part = httpPart ?? 'body';
    return {
      error: new ValidationError(zodIssues(result.error, PREFIX[part] ?? [part]), `invalid request ${part}`),
    };
  };

/** Response schemas document the API; responses are written as they are, without a second check. */
export const serializerCompiler: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);
