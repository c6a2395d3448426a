// The error every service throws for a request it refuses. Handlers turn it
// (and the engine's config and task errors, and the store's errors) into
// the contract's { ok: false, error: { code, message } }.

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
