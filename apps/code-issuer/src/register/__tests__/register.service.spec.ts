import type { EntityManager } from 'typeorm';
import * as codes from '@myna/codes';
import { RegisterException } from '../register.exception';
import { RegisterService, type CitizenToRegister } from '../register.service';
import type { NewCitizen, ResidenceRegisterRepository, TakenIdentifiers } from '../residence-register.repository';

jest.mock('@myna/codes', () => {
  const actual = jest.requireActual<typeof codes>('@myna/codes');
  return { ...actual, generateResidenceCode: jest.fn(actual.generateResidenceCode), generateMyNumber: jest.fn(actual.generateMyNumber) };
});

/** An in-memory register with the table's unique constraints and ON CONFLICT DO NOTHING. */
class FakeRegister {
  readonly rows: NewCitizen[] = [];
  inserts = 0;

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return work({} as EntityManager);
  }

  async insertSkippingDuplicates(citizens: readonly NewCitizen[]): Promise<Set<string>> {
    this.inserts++;
    const inserted = new Set<string>();
    for (const citizen of citizens) {
      const clash = this.rows.some(
        (row) =>
          row.myNumber === citizen.myNumber ||
          row.residenceCode === citizen.residenceCode ||
          row.processingSerial.equals(citizen.processingSerial),
      );
      if (!clash) {
        this.rows.push(citizen);
        inserted.add(citizen.id);
      }
    }
    return inserted;
  }

  async findTaken(citizens: readonly NewCitizen[]): Promise<TakenIdentifiers> {
    const myNumbers = new Set(citizens.map((citizen) => citizen.myNumber));
    const residenceCodes = new Set(citizens.map((citizen) => citizen.residenceCode));
    const taken = this.rows.filter((row) => myNumbers.has(row.myNumber) || residenceCodes.has(row.residenceCode));
    return { myNumbers: new Set(taken.map((row) => row.myNumber)), residenceCodes: new Set(taken.map((row) => row.residenceCode)) };
  }
}

const facts: CitizenToRegister = { name: '山田 太郎', address: '東京都千代田区千代田1-1', dateOfBirth: '1985-04-12', gender: 'male' };

describe('RegisterService', () => {
  let register: FakeRegister;
  let service: RegisterService;

  beforeEach(() => {
    register = new FakeRegister();
    service = new RegisterService(register as unknown as ResidenceRegisterRepository);
  });

  afterEach(() => jest.mocked(codes.generateResidenceCode).mockReset().mockImplementation(jest.requireActual('@myna/codes').generateResidenceCode));

  it('draws a fresh residence code when a drawn one is already registered, in the same transaction', async () => {
    const first = await service.registerOne(facts);
    jest.mocked(codes.generateResidenceCode).mockReturnValueOnce(first.residenceCode as codes.ResidenceCode);

    const [result] = await service.registerMany([facts]);

    expect(result).toMatchObject({ status: 'registered' });
    if (result.status !== 'registered') throw new Error('expected a registration');
    expect(result.residenceCode).not.toBe(first.residenceCode);
    expect(codes.isValidResidenceCode(result.residenceCode)).toBe(true);
    expect(register.inserts).toBe(3);
  });

  it('refuses, rather than redraws, an identifier the caller supplied', async () => {
    const first = await service.registerOne(facts);
    const results = await service.registerMany([
      { ...facts, myNumber: first.myNumber },
      facts,
      { ...facts, residenceCode: first.residenceCode },
    ]);

    expect(results.map((result) => (result.status === 'refused' ? result.reason : result.status))).toEqual([
      'duplicate-my-number',
      'registered',
      'duplicate-residence-code',
    ]);
    expect(register.rows).toHaveLength(2);
  });

  it('refuses the second of two citizens in one batch with the same My Number', async () => {
    const myNumber = codes.generateMyNumber();
    const results = await service.registerMany([{ ...facts, myNumber }, { ...facts, myNumber }]);

    expect(results).toEqual([
      { status: 'registered', myNumber, residenceCode: expect.any(String) },
      { status: 'refused', reason: 'duplicate-my-number', message: 'a citizen with this My Number is already registered' },
    ]);
  });

  it('throws a RegisterException for a single citizen it refuses', async () => {
    const first = await service.registerOne(facts);
    await expect(service.registerOne({ ...facts, myNumber: first.myNumber })).rejects.toEqual(new RegisterException('duplicate-my-number'));
  });

  it('gives up after a bounded number of draws instead of looping', async () => {
    const first = await service.registerOne(facts);
    jest.mocked(codes.generateResidenceCode).mockReturnValue(first.residenceCode as codes.ResidenceCode);

    await expect(service.registerMany([facts])).rejects.toThrow('no unused identifiers for 1 citizens after 5 draws');
  });
});
