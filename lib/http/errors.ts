// The one error type and JSON shape every route answers with: {error: code, message, ...details}.
import type { ErrorBody, ErrorCode } from "../wire/types";

export type { ErrorBody, ErrorCode };

const statusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  payment_required: 402,
  forbidden: 403,
  model_not_in_plan: 403,
  blocked: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal_error: 500,
};

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    // An ApiError is an expected answer (a 4xx, or a 503 with Retry-After), never logged with a stack.
    // Capturing a stack under Next's deep async stacks is dear enough to show on the cost of a refusal, the
    // answer a flood gets most. Unexpected errors keep their own stacks and are logged.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = "ApiError";
    this.status = statusByCode[code];
  }

  toResponse(): Response {
    const body: ErrorBody = { error: this.code, message: this.message, ...this.details };
    return Response.json(body, {
      status: this.status,
      headers: { "Cache-Control": "no-store", ...this.headers },
    });
  }
}

/**
 * Wraps a route handler so that nothing escapes as a bare 500 with internals:
 * ApiErrors become their response, anything else is logged and answered with a generic JSON 500.
 */
export function withErrorHandling<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response>,
): (...args: Args) => Promise<Response> {
  return async (...args: Args) => {
    try {
      return await handler(...args);
    } catch (error) {
      return errorToResponse(error);
    }
  };
}

export function errorToResponse(error: unknown): Response {
  if (error instanceof ApiError) return error.toResponse();
  console.error("[api] unexpected error", error);
  return new ApiError("internal_error", "Something went wrong on our side. Please try again.").toResponse();
}
