// API errors in words. The server's own message (Chinese, as in the API contract) is kept as a detail.

const WORDS = {
  AUTH_FAILED: 'Wrong SIP URI or password.',
  TOKEN_EXPIRED: 'Your session has expired. Please log in again.',
  INVALID_TOKEN: 'Your session is no longer valid. Please log in again.',
  FORBIDDEN: 'You are not allowed to do that.',
  NOT_FOUND: 'Not found.',
  USER_OFFLINE: 'The user is offline.',
  CALL_BUSY: 'The user is busy.',
  CALL_REJECTED: 'The call was declined.',
  INVALID_SDP: 'The call could not be set up: the media description was refused.',
  SERVER_ERROR: 'The server ran into a problem. Please try again.',
  SIP_ERROR: 'The SIP server did not accept the request.',
  VALIDATION_ERROR: 'Please check your input.',
  INVALID_STATE: 'The call can no longer do that.',
  METHOD_NOT_ALLOWED: 'The server does not allow that request.',
  UNSUPPORTED_MEDIA_TYPE: 'The server does not accept that kind of request.',
  NETWORK: 'The server cannot be reached. Check your connection.',
  MEDIA: 'The microphone cannot be used.',
};

/** An error answer of the REST API (or a network failure, code NETWORK). */
export class ApiError extends Error {
  constructor(status, code, serverMessage, details) {
    super(serverMessage || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.serverMessage = serverMessage;
    this.details = details ?? null;
  }
}

/** Words for any error: API codes get an English sentence plus the fields at fault. */
export function describe(error) {
  if (!error) return '';
  if (error instanceof ApiError) {
    let text = WORDS[error.code] ?? (error.serverMessage || `Request failed (HTTP ${error.status}).`);
    const details = error.details ?? {};
    if (error.code === 'SIP_ERROR' && details.sipStatus) {
      text += ` (SIP status ${details.sipStatus})`;
    } else if (Object.keys(details).length > 0) {
      text += ' ' + Object.entries(details).map(([field, what]) => `${field}: ${what}`).join('; ') + '.';
    }
    return text;
  }
  if (error.name === 'NotAllowedError') return 'Microphone access was denied.';
  if (error.name === 'NotFoundError') return 'No microphone was found.';
  return error.message || String(error);
}
