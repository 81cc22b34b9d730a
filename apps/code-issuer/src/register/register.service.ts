import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { generateMyNumber, generateProcessingSerial, generateResidenceCode } from '@myna/codes';
import type { BasicFacts } from '@myna/protocol';
import { RegisterException, REGISTER_REFUSAL_MESSAGES, type RegisterRefusal } from './register.exception';
import { ResidenceRegisterRepository, type NewCitizen, type TakenIdentifiers } from './residence-register.repository';

/** Basic facts in canonical form (see normaliseFact); identifiers, when supplied, already check-digit valid. */
export type CitizenToRegister = BasicFacts & { myNumber?: string; residenceCode?: string };

export type CitizenRegistration =
  | { status: 'registered'; residenceCode: string; myNumber: string }
  | { status: 'refused'; reason: RegisterRefusal; message: string };

/** Drawn identifiers collide: 100k residence codes out of 10¹⁰ give even odds of one collision per seed run. */
const MAX_DRAWS = 5;

interface Draft {
  /** Position in the request, so results come back in order. */
  index: number;
  citizen: NewCitizen;
  suppliedMyNumber: boolean;
  suppliedResidenceCode: boolean;
}

@Injectable()
export class RegisterService {
  constructor(private readonly register: ResidenceRegisterRepository) {}

  async registerOne(citizen: CitizenToRegister): Promise<{ residenceCode: string; myNumber: string }> {
    const [result] = await this.registerMany([citizen]);
    if (result.status === 'refused') throw new RegisterException(result.reason);
    return { residenceCode: result.residenceCode, myNumber: result.myNumber };
  }

  /**
   * Registers a batch in one transaction, one multi-row insert per draw. A supplied
   * identifier that is already registered refuses that citizen; a drawn one that
   * collides is drawn again. Results are in request order.
   */
  async registerMany(citizens: readonly CitizenToRegister[]): Promise<CitizenRegistration[]> {
    const results = new Array<CitizenRegistration>(citizens.length);
    let pending = citizens.map(draft);
    await this.register.transaction(async (manager) => {
      for (let draw = 1; pending.length > 0; draw++) {
        if (draw > MAX_DRAWS) throw new Error(`no unused identifiers for ${pending.length} citizens after ${MAX_DRAWS} draws`);
        const inserted = await this.register.insertSkippingDuplicates(pending.map((entry) => entry.citizen), manager);
        const conflicting = pending.filter((entry) => !inserted.has(entry.citizen.id));
        for (const entry of pending) {
          if (inserted.has(entry.citizen.id)) {
            results[entry.index] = { status: 'registered', residenceCode: entry.citizen.residenceCode, myNumber: entry.citizen.myNumber };
          }
        }
        if (conflicting.length === 0) break;
        const taken = await this.register.findTaken(conflicting.map((entry) => entry.citizen), manager);
        pending = [];
        for (const entry of conflicting) {
          const reason = refusalFor(entry, taken);
          if (reason) results[entry.index] = { status: 'refused', reason, message: REGISTER_REFUSAL_MESSAGES[reason] };
          else pending.push(redraw(entry));
        }
      }
    });
    return results;
  }

  count(): Promise<number> {
    return this.register.count();
  }
}

function draft(citizen: CitizenToRegister, index: number): Draft {
  const { myNumber, residenceCode, ...facts } = citizen;
  return {
    index,
    suppliedMyNumber: myNumber !== undefined,
    suppliedResidenceCode: residenceCode !== undefined,
    citizen: {
      id: randomUUID(),
      myNumber: myNumber ?? generateMyNumber(),
      residenceCode: residenceCode ?? generateResidenceCode(),
      // Always drawn here: a serial never comes from, or goes back to, a caller.
      processingSerial: generateProcessingSerial(),
      facts,
    },
  };
}

function refusalFor(entry: Draft, taken: TakenIdentifiers): RegisterRefusal | undefined {
  if (entry.suppliedMyNumber && taken.myNumbers.has(entry.citizen.myNumber)) return 'duplicate-my-number';
  if (entry.suppliedResidenceCode && taken.residenceCodes.has(entry.citizen.residenceCode)) return 'duplicate-residence-code';
  return undefined;
}

/** Only drawn identifiers collided (or, once in 2⁶⁴, the serial): draw them all again. */
function redraw(entry: Draft): Draft {
  const { citizen } = entry;
  return {
    ...entry,
    citizen: {
      ...citizen,
      myNumber: entry.suppliedMyNumber ? citizen.myNumber : generateMyNumber(),
      residenceCode: entry.suppliedResidenceCode ? citizen.residenceCode : generateResidenceCode(),
      processingSerial: generateProcessingSerial(),
    },
  };
}
