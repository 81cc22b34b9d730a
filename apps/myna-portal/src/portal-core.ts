import { LegalTable } from '@myna/protocol';

/** The legal table, loaded once: the portal's self-disclosure rules come from it. */
export const PORTAL_LEGAL_TABLE = Symbol('PORTAL_LEGAL_TABLE');

export const portalLegalTableProvider = { provide: PORTAL_LEGAL_TABLE, useFactory: () => LegalTable.load() };
