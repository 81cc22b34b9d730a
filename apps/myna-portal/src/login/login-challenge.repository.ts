import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, LessThan, MoreThan } from 'typeorm';
import { LoginChallenge } from './login-challenge.entity';

/** Sign-in challenges (`login_challenge`): each nonce used once, only by the browser it was bound to. */
@Injectable()
export class LoginChallengeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async add(challenge: Pick<LoginChallenge, 'id' | 'nonce' | 'bindingHash' | 'expiresAt'>): Promise<void> {
    await this.dataSource.getRepository(LoginChallenge).insert(challenge);
  }

  async deleteExpired(): Promise<void> {
    await this.dataSource.getRepository(LoginChallenge).delete({ expiresAt: LessThan(new Date()) });
  }

  /** Challenges neither used nor expired: sign-ins in progress. */
  countPending(): Promise<number> {
    return this.dataSource.getRepository(LoginChallenge).count({ where: { usedAt: IsNull(), expiresAt: MoreThan(new Date()) } });
  }

  /** Marks the challenge used and returns its nonce, in one statement: of two attempts with one nonce, one at most gets it. */
  async consume(challengeId: string, bindingHash: Buffer): Promise<string | undefined> {
    const result: unknown = await this.dataSource.query(
      'UPDATE login_challenge SET used_at = now() WHERE id = $1 AND binding_hash = $2 AND used_at IS NULL AND expires_at > now() RETURNING nonce',
      [challengeId, bindingHash],
    );
    // TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, rowCount].
    const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as { nonce: string }[];
    return rows[0]?.nonce;
  }
}
