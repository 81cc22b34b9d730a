import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, MoreThan } from 'typeorm';
import { PortalSession } from './portal-session.entity';

/** The portal's sessions (`portal_session`), by the hash of their cookie's id. */
@Injectable()
export class PortalSessionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async add(session: Pick<PortalSession, 'idHash' | 'portalCode' | 'cardSeal' | 'expiresAt'>): Promise<void> {
    await this.dataSource.getRepository(PortalSession).insert(session);
  }

  /** The session with this id hash, if it has not expired. */
  findLive(idHash: Buffer): Promise<PortalSession | null> {
    return this.dataSource.getRepository(PortalSession).findOneBy({ idHash, expiresAt: MoreThan(new Date()) });
  }

  async delete(idHash: Buffer): Promise<void> {
    await this.dataSource.getRepository(PortalSession).delete({ idHash });
  }

  async deleteExpired(): Promise<void> {
    await this.dataSource.getRepository(PortalSession).delete({ expiresAt: LessThan(new Date()) });
  }
}
