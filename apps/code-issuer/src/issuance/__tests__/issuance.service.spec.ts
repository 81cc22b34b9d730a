import { generateMyNumber, generateProcessingSerial, issueAgencyCode, parseIssuerBundle } from '@myna/codes';
import {
  CODE_ISSUANCE_REQUEST_TYPE,
  CODE_ISSUANCE_RESPONSE_TYPE,
  loadServiceKeyRing,
  openMessage,
  sealMessage,
  type CodeIssuanceResponseClaims,
  type ServiceKeyRing,
} from '@myna/protocol';
import { testKeysDir } from '@myna/testing';
import type { RegisteredCitizen, ResidenceRegisterRepository } from '../../register/residence-register.repository';
import { CodeWorkerPool } from '../code-workers';
import { IssuanceException } from '../issuance.exception';
import type { AnsweredRequest, IssuanceRepository } from '../issuance.repository';
import { IssuanceService, NOT_IDENTIFIED } from '../issuance.service';

const facts = { name: '佐藤 花子', address: '大阪府大阪市北区梅田1-2-3', dateOfBirth: '1990-07-01', gender: 'female' as const };

describe('IssuanceService with its repositories mocked', () => {
  let issuer: ServiceKeyRing;
  let tax: ServiceKeyRing;
  const citizen: RegisteredCitizen = { id: 'c-1', myNumber: generateMyNumber(), processingSerial: generateProcessingSerial(), facts };
  const register = { findByMyNumbers: jest.fn() };
  const ledger = { record: jest.fn() };
  let service: IssuanceService;

  beforeAll(async () => {
    issuer = await loadServiceKeyRing(testKeysDir('code-issuer'), 'code-issuer');
    tax = await loadServiceKeyRing(testKeysDir('tax-agency'), 'tax-agency');
  });

  beforeEach(() => {
    register.findByMyNumbers.mockReset().mockResolvedValue([citizen]);
    ledger.record.mockReset().mockResolvedValue('recorded');
    service = new IssuanceService(
      issuer,
      new CodeWorkerPool(issuer.codesBundle, 0),
      register as unknown as ResidenceRegisterRepository,
      ledger as unknown as IssuanceRepository,
    );
  });

  const taxCaller = { kind: 'service', service: 'tax-agency' } as const;
  const requestFor = (persons: object[], id = 'request-1') =>
    sealMessage(tax, { to: 'code-issuer', type: CODE_ISSUANCE_REQUEST_TYPE, claims: { persons }, ttlSeconds: 60, id });

  it('issues one code per person asked for, records one issuance each, and seals the answer to the requester', async () => {
    const sealed = await service.issue(await requestFor([{ ...facts, ref: 'a', myNumber: citizen.myNumber }, { ...facts, ref: 'b', myNumber: citizen.myNumber }]), taxCaller);

    const { claims } = await openMessage<CodeIssuanceResponseClaims>(tax, sealed, { type: CODE_ISSUANCE_RESPONSE_TYPE, from: ['code-issuer'], maxAgeSeconds: 60 });
    const code = issueAgencyCode(parseIssuerBundle(issuer.codesBundle), 'tax-agency', citizen.processingSerial).toText();
    expect(claims.results).toEqual([
      { ref: 'a', status: 'issued', agencyCode: code },
      { ref: 'b', status: 'issued', agencyCode: code },
    ]);
    expect(register.findByMyNumbers).toHaveBeenCalledTimes(1);
    expect(ledger.record).toHaveBeenCalledWith<[AnsweredRequest]>({
      requestId: 'request-1',
      requester: 'tax-agency',
      personCount: 2,
      refusedCount: 0,
      issuedToCitizenIds: ['c-1', 'c-1'],
    });
  });

  it('refuses the whole request as replayed when the ledger already holds its id', async () => {
    ledger.record.mockResolvedValue('replayed');
    await expect(service.issue(await requestFor([{ ...facts, ref: 'a', myNumber: citizen.myNumber }]), taxCaller)).rejects.toEqual(
      new IssuanceException('replayed', 'this request message id has already been answered'),
    );
  });

  it('refuses a message id too long to be a ledger key, before touching the register', async () => {
    await expect(service.issue(await requestFor([{ ...facts, ref: 'a', myNumber: citizen.myNumber }], 'x'.repeat(129)), taxCaller)).rejects.toMatchObject({
      code: 'malformed',
    });
    expect(register.findByMyNumbers).not.toHaveBeenCalled();
  });

  it('refuses an unknown My Number and a wrong fact alike: the agency learns neither whether the person exists nor which fact differs', async () => {
    const sealed = await service.issue(
      await requestFor([
        { ...facts, ref: 'unknown', myNumber: generateMyNumber() },
        { ...facts, ref: 'moved', address: 'elsewhere', myNumber: citizen.myNumber },
        { ...facts, ref: 'renamed', name: 'someone else', myNumber: citizen.myNumber },
      ]),
      taxCaller,
    );
    const { claims } = await openMessage<CodeIssuanceResponseClaims>(tax, sealed, { type: CODE_ISSUANCE_RESPONSE_TYPE, from: ['code-issuer'], maxAgeSeconds: 60 });
    expect(claims.results.map((result) => result.status === 'refused' && result.reason)).toEqual([NOT_IDENTIFIED, NOT_IDENTIFIED, NOT_IDENTIFIED]);
  });

  it('refuses a request signed by one agency but sent by another service', async () => {
    await expect(service.issue(await requestFor([{ ...facts, ref: 'a', myNumber: citizen.myNumber }]), { kind: 'service', service: 'health-agency' })).rejects.toMatchObject({
      code: 'impersonation',
    });
    expect(ledger.record).not.toHaveBeenCalled();
  });
});
