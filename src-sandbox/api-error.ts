export interface FieldError {
  name: string;
  message: string;
}

const typeByStatus: Record<number, string> = {
  400: 'validation_error',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  411: 'length_required',
  413: 'request_entity_too_large',
  429: 'too_many_requests',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
};

/** A refusal the sandbox answers with the service's ErrorResponse body. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly type: string;
  readonly fields: FieldError[];
  readonly headers: Record<string, string>;
  /** Close the connection after answering instead of draining an unwanted body. */
  readonly closeConnection: boolean;

  constructor(
    status: number,
    message: string,
    opts: {
      type?: string;
      fields?: FieldError[];
      headers?: Record<string, string>;
      closeConnection?: boolean;
    } = {},
  ) {
    super(message);
    this.status = status;
    this.type = opts.type ?? errorType(status);
    this.fields = opts.fields ?? [];
    this.headers = opts.headers ?? {};
    this.closeConnection = opts.closeConnection ?? false;
  }
}

export function errorType(status: number): string {
  return typeByStatus[status] ?? (status >= 500 ? 'internal_server_error' : 'bad_request');
}

export function validationError(fields: FieldError[]): ApiError {
  const message = fields.map((f) => `${f.name}: ${f.message}`).join('; ');
  return new ApiError(400, `Validation error. ${message}`, { fields });
}

export const notFound = (what: string, id: string): ApiError =>
  new ApiError(404, `${what} ${id} does not exist in this account.`);
