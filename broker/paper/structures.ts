/**
 * A structure's legs built against the tenant's own paper market (the chain its paper
 * exchange trades right now) with the domain strategy templates: used by `qs orders place`,
 * tests and the benchmark, so the contracts are listed and the prices marketable.
 */
import type { Pool } from 'pg';
import { istParts } from '../../domain/dates';
import type { Instrument } from '../../domain/instruments';
import { buildStructure, type Structure, type StructureKind, type StructureParams } from '../../domain/strategies';
import type { OrderLeg } from '../../contracts/orders';
import { structureToLegs } from '../structure-orders';
import { chainAt } from './market';
import { paperMarketSession } from './paper-broker';

export interface PaperStructure {
  structure: Structure;
  legs: OrderLeg[];
  tradingDate: string;
}

export async function buildPaperStructure(
  pool: Pool,
  tenantId: number,
  kind: StructureKind,
  instrument: Instrument,
  lots: number,
  params: Partial<StructureParams> = {},
): Promise<PaperStructure> {
  const { session, simMs } = await paperMarketSession(pool, tenantId);
  const chain = chainAt(instrument, session, simMs);
  const built = buildStructure(chain, { kind, ...params } as StructureParams);
  if (!built.ok) throw new Error(`cannot build ${kind} on ${instrument}: ${built.reason}: ${built.detail}`);
  return {
    structure: built.structure,
    legs: structureToLegs(built.structure, lots),
    tradingDate: istParts(simMs).date,
  };
}
