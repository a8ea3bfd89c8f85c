import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Lang, pickLang } from '../i18n/format.ts';

// Users see Russian: zod's own messages (wrong type, too short, …) in Russian too.
z.config(z.locales.ru());

export type HttpApp = FastifyInstance<
  // biome-ignore lint/suspicious/noExplicitAny: Fastify's default server generics
  any,
  // biome-ignore lint/suspicious/noExplicitAny: see above
  any,
  // biome-ignore lint/suspicious/noExplicitAny: see above
  any,
  // biome-ignore lint/suspicious/noExplicitAny: see above
  any,
  ZodTypeProvider
>;

/** The one error body of the API: a reason code, a message in Russian (English too), details. */
export interface ApiErrorBody {
  error: { code: string; message: string; messageEn: string; details?: unknown };
}

/** An error that becomes a 4xx answer with its reason code. Nothing was written. */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly messageEn: string = message,
    public readonly details?: unknown,
  ) {
    super(message);
  }
}

export const MAX_BODY_BYTES = 1024 * 1024;

export async function createHttpApp(options: { logger?: boolean | object } = {}): Promise<HttpApp> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: MAX_BODY_BYTES,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'abonent API',
        description:
          'Registry, readings intake, billing and money (payments, ledger, penalties, debt) of an electricity supplier. Operator routes need `Authorization: Bearer <operator API key>`. Errors carry a reason code and a Russian message (`Accept-Language: en` for English). Payment terminals call `/osmp` with their own credentials; the card provider webhook is public and signed.',
        version: '1',
      },
      components: {
        securitySchemes: { operatorKey: { type: 'http', scheme: 'bearer', description: 'Operator API key' } },
      },
      security: [{ operatorKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const errorBody = localizedErrorBody(request);
    if (error instanceof ApiError) {
      return reply
        .status(error.status)
        .send(errorBody(error.code, error.message, error.messageEn, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({
        path: v.instancePath || '/',
        problem: v.message,
        ...(v.params && typeof v.params === 'object' ? { params: v.params } : {}),
      }));
      return reply
        .status(400)
        .send(
          errorBody(
            'VALIDATION_FAILED',
            `Запрос не прошёл проверку: ${details.map((d) => `${d.path} — ${d.problem}`).join('; ')}`,
            `The request is invalid: ${details.map((d) => `${d.path} — ${d.problem}`).join('; ')}`,
            details,
          ),
        );
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit ?? MAX_BODY_BYTES;
      return reply
        .status(413)
        .send(
          errorBody(
            'BODY_TOO_LARGE',
            `Тело запроса больше ${limit} байт.`,
            `The body exceeds ${limit} bytes.`,
          ),
        );
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply
        .status(error.statusCode)
        .send(errorBody(error.code ?? 'BAD_REQUEST', `Некорректный запрос: ${error.message}`, error.message));
    }
    request.log.error(error);
    return reply
      .status(503)
      .send(
        errorBody(
          'TEMPORARILY_UNAVAILABLE',
          'Сервис временно недоступен, ничего не сохранено. Повторите запрос позже.',
          'The service is temporarily unavailable; nothing was saved. Retry later.',
        ),
      );
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(
        localizedErrorBody(request)(
          'NOT_FOUND',
          `Адрес ${request.method} ${request.url} не найден.`,
          `No route ${request.method} ${request.url}.`,
        ),
      ),
  );
  return app;
}

/** `message` is Russian unless the client asks for English (Accept-Language: en or ?lang=en); `messageEn` always English. */
export function errorBody(
  code: string,
  message: string,
  messageEn: string,
  details?: unknown,
  lang: Lang = 'ru',
): ApiErrorBody {
  return {
    error: {
      code,
      message: lang === 'en' ? messageEn : message,
      messageEn,
      ...(details === undefined ? {} : { details }),
    },
  };
}

export function requestLang(request: FastifyRequest): Lang {
  const q = (request.query as { lang?: unknown } | undefined)?.lang;
  return pickLang(typeof q === 'string' ? q : request.headers['accept-language']);
}

function localizedErrorBody(request: FastifyRequest) {
  const lang = requestLang(request);
  return (code: string, message: string, messageEn: string, details?: unknown) =>
    errorBody(code, message, messageEn, details, lang);
}
