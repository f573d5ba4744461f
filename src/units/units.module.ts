import { Module } from '@nestjs/common';
import { UnitChangesService } from './unit-changes.service.js';
import { UnitRegisterService } from './unit-register.service.js';
import { UnitsController } from './units.controller.js';

/** The unit register in memory, for every plane that resolves unit names or checks scopes. */
@Module({
  providers: [UnitRegisterService],
  exports: [UnitRegisterService],
})
export class UnitsModule {}

/** The register's control-plane routes (everyone reads, the DTD keeps it). */
@Module({
  imports: [UnitsModule],
  controllers: [UnitsController],
  providers: [UnitChangesService],
})
export class UnitsControlPlaneModule {}
