/** Injection token for the service's parsed ServiceConfig. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
