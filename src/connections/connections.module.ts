import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PkiModule } from '../pki/pki.module.js';
import { UnitsModule } from '../units/units.module.js';
import { Connection } from './connection.entity.js';
import { ConnectionsService } from './connections.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Connection]), PkiModule, UnitsModule],
  providers: [ConnectionsService],
  exports: [ConnectionsService],
})
export class ConnectionsModule {}
