/** Injection token for the service's parsed ServiceConfig. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

/** Injection token for the service's ServiceKeyRing (its own keys and the public directory), loaded once at start. */
export const SERVICE_KEYS = Symbol('SERVICE_KEYS');
