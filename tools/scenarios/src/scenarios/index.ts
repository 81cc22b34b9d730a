import type { Scenario } from '../runner/scenario';
import { accountTakeoverRefused } from './account-takeover-refused.scenario';
import { agencyRecordsLocked } from './agency-records-locked.scenario';
import { cardActsNeedRegistrar } from './card-acts-need-registrar.scenario';
import { crossSiteRequestsRefused } from './cross-site-requests-refused.scenario';
import { deadLetterReplayNeedsAdmin } from './dead-letter-replay-needs-admin.scenario';
import { hubLogNeedsAuditor } from './hub-log-needs-auditor.scenario';
import { logTamperDetected } from './log-tamper-detected.scenario';
import { inquiryNeedsCredentials } from './inquiry-needs-credentials.scenario';
import { oversizedAndDeepBodiesRefused } from './oversized-and-deep-bodies-refused.scenario';
import { cardAloneUseless } from './card-alone-useless.scenario';
import { chipContents } from './chip-contents.scenario';
import { chipTamper } from './chip-tamper.scenario';
import { crossAgencyJoinAttack } from './cross-agency-join-attack.scenario';
import { decentralizedStorage } from './decentralized-storage.scenario';
import { expiryRejected } from './expiry-rejected.scenario';
import { forbiddenExchangeDenied } from './forbidden-exchange-denied.scenario';
import { forgeryRejected } from './forgery-rejected.scenario';
import { hubBreach } from './hub-breach.scenario';
import { impersonatingAgency } from './impersonating-agency.scenario';
import { lostCardSuspension } from './lost-card-suspension.scenario';
import { misaddressedRejected } from './misaddressed-rejected.scenario';
import { noMyNumberInTransit } from './no-my-number-in-transit.scenario';
import { pinLockout } from './pin-lockout.scenario';
import { portalShowsExchanges } from './portal-shows-exchanges.scenario';
import { redisIsolation } from './redis-isolation.scenario';
import { replayRejected } from './replay-rejected.scenario';
import { workerCrashNoLoss } from './worker-crash-no-loss.scenario';

/** Every scenario, in the order `npm run scenarios` plays them. Names are unique. */
export const SCENARIOS: readonly Scenario[] = [
  decentralizedStorage,
  crossAgencyJoinAttack,
  noMyNumberInTransit,
  forbiddenExchangeDenied,
  replayRejected,
  forgeryRejected,
  expiryRejected,
  misaddressedRejected,
  impersonatingAgency,
  hubBreach,
  redisIsolation,
  chipContents,
  cardAloneUseless,
  pinLockout,
  lostCardSuspension,
  chipTamper,
  portalShowsExchanges,
  accountTakeoverRefused,
  cardActsNeedRegistrar,
  agencyRecordsLocked,
  inquiryNeedsCredentials,
  hubLogNeedsAuditor,
  logTamperDetected,
  deadLetterReplayNeedsAdmin,
  crossSiteRequestsRefused,
  oversizedAndDeepBodiesRefused,
  workerCrashNoLoss,
];

export function scenariosNamed(names: readonly string[]): Scenario[] {
  if (names.length === 0) return [...SCENARIOS];
  return names.map((name) => {
    const scenario = SCENARIOS.find((candidate) => candidate.name === name);
    if (!scenario) throw new Error(`no scenario '${name}'`);
    return scenario;
  });
}
