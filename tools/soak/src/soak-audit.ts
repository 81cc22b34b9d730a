// The soak's verdict, from what each party stored: every exchange terminal
// exactly once at the requester, the hub, the provider and the portal. Pure, so
// that each way of losing or doubling an exchange is unit-tested.

export interface RequesterRow { requester: string; id: string; provider: string; rule: string; status: string; reason: string | null }
export interface HubRow { requester: string; inquiryId: string; provider: string; rule: string; status: string; providerHandle: string | null; portalHandle: string }
export interface ProviderRow { provider: string; handle: string; requester: string; rule: string; outcome: string }
export interface PortalRow { handle: string; status: string; requester: string; provider: string; rule: string }

export interface SoakStores {
  requester: RequesterRow[];
  hub: HubRow[];
  provider: ProviderRow[];
  portal: PortalRow[];
  /** Inquiry ids the drive was told were accepted (202). */
  accepted: { requester: string; inquiryId: string }[];
}

export interface SoakVerdict {
  figures: {
    accepted: number;
    inquiries: number;
    byRequesterStatus: Record<string, number>;
    byHubStatus: Record<string, number>;
    providerAnswers: number;
    portalRecords: number;
    /** Inquiries the requester settled as failed because the hub's queue did not take them (the caller got a 503). */
    refusedAtTheDoor: number;
  };
  lost: string[];
  duplicated: string[];
  stuck: string[];
  inconsistent: string[];
  deniedReachedProvider: string[];
}

const HUB_TO_REQUESTER: Record<string, string> = { answered: 'answered', 'no-record': 'no-record', denied: 'denied', expired: 'failed' };
const HUB_TO_PORTAL: Record<string, string> = { answered: 'permitted', 'no-record': 'permitted', denied: 'denied', expired: 'unanswered' };
const NOT_SENT = /hub queue did not accept/;

const count = <T>(rows: readonly T[], key: (row: T) => string) =>
  rows.reduce<Record<string, number>>((tally, row) => ({ ...tally, [key(row)]: (tally[key(row)] ?? 0) + 1 }), {});

export function auditSoak(stores: SoakStores): SoakVerdict {
  const verdict: SoakVerdict = {
    figures: {
      accepted: stores.accepted.length,
      inquiries: stores.requester.length,
      byRequesterStatus: count(stores.requester, (row) => row.status),
      byHubStatus: count(stores.hub, (row) => row.status),
      providerAnswers: stores.provider.length,
      portalRecords: stores.portal.length,
      refusedAtTheDoor: 0,
    },
    lost: [],
    duplicated: [],
    stuck: [],
    inconsistent: [],
    deniedReachedProvider: [],
  };
  const key = (requester: string, inquiryId: string) => `${requester}/${inquiryId}`;
  const inquiries = new Map(stores.requester.map((row) => [key(row.requester, row.id), row]));
  const hubByInquiry = new Map<string, HubRow[]>();
  for (const row of stores.hub) hubByInquiry.set(key(row.requester, row.inquiryId), [...(hubByInquiry.get(key(row.requester, row.inquiryId)) ?? []), row]);
  const providerByHandle = new Map<string, ProviderRow[]>();
  for (const row of stores.provider) providerByHandle.set(row.handle, [...(providerByHandle.get(row.handle) ?? []), row]);
  const portalByHandle = new Map<string, PortalRow[]>();
  for (const row of stores.portal) portalByHandle.set(row.handle, [...(portalByHandle.get(row.handle) ?? []), row]);

  for (const { requester, inquiryId } of stores.accepted) {
    if (!inquiries.has(key(requester, inquiryId))) verdict.lost.push(`${requester} accepted inquiry ${inquiryId} but does not hold it`);
  }

  for (const inquiry of stores.requester) {
    const name = `${inquiry.requester} inquiry ${inquiry.id} (${inquiry.rule})`;
    const exchanges = hubByInquiry.get(key(inquiry.requester, inquiry.id)) ?? [];
    if (inquiry.status === 'pending') verdict.stuck.push(`${name} is still pending at the requester`);
    if (exchanges.length > 1) verdict.duplicated.push(`${name}: the hub opened ${exchanges.length} exchanges`);
    if (exchanges.length === 0) {
      if (inquiry.status === 'failed' && NOT_SENT.test(inquiry.reason ?? '')) verdict.figures.refusedAtTheDoor++;
      else verdict.lost.push(`${name} (${inquiry.status}) never reached the hub`);
      continue;
    }
    const [exchange] = exchanges;
    if (exchange.status === 'delivered') verdict.stuck.push(`${name}: the hub's exchange is still open`);
    else if (inquiry.status !== 'pending' && HUB_TO_REQUESTER[exchange.status] !== inquiry.status) {
      verdict.inconsistent.push(`${name}: the requester says ${inquiry.status}, the hub ${exchange.status}`);
    }
  }

  const handlesSeen = new Set<string>();
  for (const exchange of stores.hub) {
    const name = `${exchange.requester} inquiry ${exchange.inquiryId} (${exchange.rule})`;
    if (!inquiries.has(key(exchange.requester, exchange.inquiryId))) verdict.inconsistent.push(`${name}: the hub holds an exchange the requester does not`);
    const provided = exchange.providerHandle ? (providerByHandle.get(exchange.providerHandle) ?? []) : [];
    if (exchange.providerHandle) handlesSeen.add(exchange.providerHandle);
    if (exchange.status === 'denied') {
      if (exchange.providerHandle || provided.length > 0) verdict.deniedReachedProvider.push(`${name} was denied but reached ${exchange.provider}`);
    } else if (exchange.status === 'answered' || exchange.status === 'no-record') {
      if (provided.length === 0) verdict.lost.push(`${name}: ${exchange.provider} holds no answer for a ${exchange.status} exchange`);
      else if (provided[0].outcome !== exchange.status) verdict.inconsistent.push(`${name}: ${exchange.provider} answered ${provided[0].outcome}, the hub says ${exchange.status}`);
    }
    const records = portalByHandle.get(exchange.portalHandle) ?? [];
    if (exchange.status !== 'delivered') {
      if (records.length === 0) verdict.lost.push(`${name}: the portal holds no record of the ${exchange.status} exchange`);
      else if (records[0].status !== HUB_TO_PORTAL[exchange.status]) verdict.inconsistent.push(`${name}: the portal shows ${records[0].status}, the hub ${exchange.status}`);
    }
    if (records.length > 1) verdict.duplicated.push(`${name}: the portal holds ${records.length} records`);
  }

  for (const row of stores.provider) {
    if (!handlesSeen.has(row.handle)) verdict.duplicated.push(`${row.provider} answered handle ${row.handle}, which no exchange at the hub carries`);
  }
  for (const [handle, rows] of providerByHandle) if (rows.length > 1) verdict.duplicated.push(`handle ${handle} answered ${rows.length} times`);
  const portalHandles = new Set(stores.hub.map((row) => row.portalHandle));
  for (const row of stores.portal) {
    if (!portalHandles.has(row.handle)) verdict.duplicated.push(`the portal holds record ${row.handle}, which no exchange at the hub carries`);
  }
  return verdict;
}

export function verdictIsClean(verdict: SoakVerdict): boolean {
  return [verdict.lost, verdict.duplicated, verdict.stuck, verdict.inconsistent, verdict.deniedReachedProvider].every((list) => list.length === 0);
}
