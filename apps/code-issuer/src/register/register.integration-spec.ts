import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { generateMyNumber, generateResidenceCode, isValidMyNumber, isValidResidenceCode } from '@myna/codes';
import { asOperator, createTestDatabases, httpAs, queryAs, startTestServiceApp } from '@myna/testing';
import { codeIssuerService } from '../service-definition';

const taro = { name: '山田 太郎', address: '東京都千代田区千代田1-1', dateOfBirth: '1985-04-12', gender: 'male' };

/** A valid number with its check digit changed: well-formed, but wrong. */
function withWrongCheckDigit(number: string): string {
  return number.slice(0, -1) + String((Number(number.slice(-1)) + 1) % 10);
}

function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe('residence register over HTTP', () => {
  let app: INestApplication;
  let databaseUrl: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const provisioned = await createTestDatabases(['code-issuer']);
    drop = provisioned.drop;
    databaseUrl = provisioned.databases['code-issuer'].url;
    app = await startTestServiceApp(codeIssuerService, databaseUrl);
  });

  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  let registrar: { authorization: string };
  beforeAll(async () => {
    registrar = await asOperator(app, 'code-issuer', 'registrar');
  });
  /** The register's routes are a registrar's. */
  const http = () => httpAs(app, registrar);
  const citizenCount = async () => (await queryAs<{ count: number }>(databaseUrl, 'SELECT count(*)::int AS count FROM citizen'))[0].count;

  it('registers a citizen with drawn identifiers and keeps the processing serial to itself', async () => {
    const response = await http().post('/citizens').send(taro).expect(201);

    expect(Object.keys(response.body).sort()).toEqual(['myNumber', 'residenceCode']);
    expect(isValidMyNumber(response.body.myNumber)).toBe(true);
    expect(isValidResidenceCode(response.body.residenceCode)).toBe(true);
    const [row] = await queryAs<Record<string, string>>(
      databaseUrl,
      `SELECT residence_code, processing_serial, name, address, to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth, gender
       FROM citizen WHERE my_number = $1`,
      [response.body.myNumber],
    );
    expect(row).toMatchObject({
      residence_code: response.body.residenceCode,
      name: taro.name,
      address: taro.address,
      date_of_birth: taro.dateOfBirth,
      gender: taro.gender,
    });
    expect(row.processing_serial).toMatch(/^ps1\.[A-Za-z0-9_-]{22}$/);
  });

  it('keeps supplied identifiers and stores the facts trimmed and NFC-normalised', async () => {
    const myNumber = generateMyNumber();
    const residenceCode = generateResidenceCode();
    const response = await http()
      .post('/citizens')
      .send({ ...taro, name: '  Jose\u0301 Garci\u0301a ', address: ' 1-1 Chiyoda\t', myNumber, residenceCode })
      .expect(201);

    expect(response.body).toEqual({ myNumber, residenceCode });
    const [row] = await queryAs<{ name: string; address: string }>(databaseUrl, 'SELECT name, address FROM citizen WHERE my_number = $1', [myNumber]);
    expect(row).toEqual({ name: 'Jos\u00e9 Garc\u00eda', address: '1-1 Chiyoda' });
  });

  const validMyNumber = generateMyNumber();
  const validResidenceCode = generateResidenceCode();
  it.each([
    ['name', { name: '' }, 'name should not be empty'],
    ['name', { name: '   ' }, 'name should not be empty'],
    ['name', { name: 42 }, 'name must be a string'],
    ['name', { name: 'x'.repeat(201) }, 'name must be shorter than or equal to 200 characters'],
    ['name', { name: 'Taro\u0000' }, 'name must not contain control characters'],
    ['address', { address: undefined }, 'address must be a string'],
    ['address', { address: 'x'.repeat(401) }, 'address must be shorter than or equal to 400 characters'],
    ['dateOfBirth', { dateOfBirth: '12/04/1985' }, 'dateOfBirth: must be a date in YYYY-MM-DD form'],
    ['dateOfBirth', { dateOfBirth: '2023-02-29' }, 'dateOfBirth: is not a calendar date'],
    ['dateOfBirth', { dateOfBirth: daysFromToday(2) }, 'dateOfBirth: must not be in the future'],
    ['dateOfBirth', { dateOfBirth: '0000-01-01' }, 'dateOfBirth: must not be before 1900-01-01'],
    ['gender', { gender: 'unknown' }, 'gender must be one of female, male, other'],
    ['myNumber', { myNumber: withWrongCheckDigit(validMyNumber) }, 'myNumber: My Number check digit is'],
    ['myNumber', { myNumber: '12345' }, 'myNumber: My Number must be 12 digits, got 5 characters'],
    ['myNumber', { myNumber: '12345678901a' }, 'myNumber: My Number must be 12 digits: character 12 is not 0-9'],
    ['myNumber', { myNumber: null }, 'myNumber: My Number must be a string'],
    ['residenceCode', { residenceCode: withWrongCheckDigit(validResidenceCode) }, 'residenceCode: residence code check digit is'],
    ['residenceCode', { residenceCode: 12345678901 }, 'residenceCode: residence code must be a string'],
    ['processingSerial', { processingSerial: 'ps1.AAAAAAAAAAAAAAAAAAAAAA' }, 'property processingSerial should not exist'],
  ])('refuses a bad %s with 400 and a message naming it (%j)', async (_field, change, expected) => {
    const before = await citizenCount();
    const response = await http().post('/citizens').send({ ...taro, ...change }).expect(400);

    expect(response.body).toMatchObject({ code: 'invalid-request', reason: expect.stringContaining(expected) });
    expect(await citizenCount()).toBe(before);
  });

  it('refuses a My Number or residence code that is already registered with 409 and a reason', async () => {
    const first = await http().post('/citizens').send(taro).expect(201);

    const sameMyNumber = await http().post('/citizens').send({ ...taro, myNumber: first.body.myNumber }).expect(409);
    expect(sameMyNumber.body).toEqual({
      statusCode: 409,
      code: 'duplicate-my-number',
      reason: 'a citizen with this My Number is already registered',
    });
    const sameResidenceCode = await http().post('/citizens').send({ ...taro, residenceCode: first.body.residenceCode }).expect(409);
    expect(sameResidenceCode.body).toMatchObject({ code: 'duplicate-residence-code' });
    const [{ count }] = await queryAs<{ count: number }>(
      databaseUrl,
      'SELECT count(*)::int AS count FROM citizen WHERE my_number = $1 OR residence_code = $2',
      [first.body.myNumber, first.body.residenceCode],
    );
    expect(count).toBe(1);
  });

  it('registers a batch of 1000 in one request, with results in order and duplicates refused one by one', async () => {
    const existing = await http().post('/citizens').send(taro).expect(201);
    const sharedResidenceCode = generateResidenceCode();
    // Short facts: the platform's JSON body limit (100 kB by default) must fit a thousand of them.
    const citizens: Array<Record<string, string>> = Array.from({ length: 1000 }, (_, i) => ({
      name: `N${i}`,
      address: `A${i}`,
      dateOfBirth: '1990-01-01',
      gender: 'other',
    }));
    citizens[10].myNumber = existing.body.myNumber;
    citizens[20].residenceCode = sharedResidenceCode;
    citizens[21].residenceCode = sharedResidenceCode;
    const before = await citizenCount();

    const response = await http().post('/citizens/batch').send({ citizens }).expect(200);

    expect(response.body).toMatchObject({ registered: 998, refused: 2 });
    expect(response.body.results).toHaveLength(1000);
    expect(response.body.results[10]).toEqual({
      status: 'refused',
      reason: 'duplicate-my-number',
      message: 'a citizen with this My Number is already registered',
    });
    expect(response.body.results[20]).toMatchObject({ status: 'registered', residenceCode: sharedResidenceCode });
    expect(response.body.results[21]).toMatchObject({ status: 'refused', reason: 'duplicate-residence-code' });
    expect(await citizenCount()).toBe(before + 998);
    // Result i belongs to citizen i.
    const [row] = await queryAs<{ name: string }>(databaseUrl, 'SELECT name FROM citizen WHERE my_number = $1', [
      response.body.results[777].myNumber,
    ]);
    expect(row.name).toBe('N777');
  });

  it('refuses a whole batch, storing nothing, when one citizen has a bad field, and names the citizen and field', async () => {
    const before = await citizenCount();
    const response = await http()
      .post('/citizens/batch')
      .send({ citizens: [taro, { ...taro, dateOfBirth: '1985-13-01' }] })
      .expect(400);

    expect(response.body).toMatchObject({ code: 'invalid-request', reason: 'citizens.1.dateOfBirth: is not a calendar date' });
    expect(await citizenCount()).toBe(before);
  });

  it.each([
    ['an empty batch', { citizens: [] }, 'citizens must contain at least 1 elements'],
    ['more than 1000 citizens', { citizens: Array.from({ length: 1001 }, () => ({ name: 'N', address: 'A', dateOfBirth: '1990-01-01', gender: 'other' })) }, 'citizens must contain no more than 1000 elements'],
    ['no list', {}, 'citizens must be an array'],
  ])('refuses %s with 400', async (_what, body, expected) => {
    const response = await http().post('/citizens/batch').send(body).expect(400);
    expect(response.body.reason).toContain(expected);
  });

  it('counts the citizens in the register', async () => {
    const response = await http().get('/citizens/count').expect(200);
    expect(response.body).toEqual({ count: await citizenCount() });
    expect(response.body.count).toBeGreaterThan(1000);
  });

  it('answers only a registrar: no credentials is 401, an agency officer is 401 (not its token), refusals tell nothing', async () => {
    const anonymous = await request(app.getHttpServer()).post('/citizens').send(taro).expect(401);
    expect(anonymous.body).toMatchObject({ code: 'unauthenticated' });
    await request(app.getHttpServer()).get('/citizens/count').expect(401);
    const forged = await request(app.getHttpServer()).post('/citizens/batch').set({ authorization: 'Bearer not.a.token' }).send({ citizens: [taro] }).expect(401);
    expect(forged.body).toMatchObject({ code: 'invalid-credentials' });
  });

  it('offers no way to read a processing serial: no route, no schema mentions one', async () => {
    const docs = await http().get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths).filter((route) => !route.startsWith('/cards')).sort()).toEqual([
      '/citizens',
      '/citizens/batch',
      '/citizens/count',
      '/code-issuance',
      '/health',
      '/oauth/token',
      '/portal-codes',
    ]);
    // Card certificates have serials of their own (public, random); the processing serial appears nowhere.
    expect(JSON.stringify([docs.body.paths, docs.body.components])).not.toMatch(/processing.?serial|ps1\./i);
  });
});
