import 'reflect-metadata';
import { MODULE_METADATA } from '@nestjs/common/constants';
import type { Type } from '@nestjs/common';
import { ReturnsCoreModule } from './returns-core.module';

/** Every module a module imports, itself first, each once. */
function moduleGraph(root: Type): Type[] {
  const seen: Type[] = [];
  const walk = (m: Type) => {
    if (seen.includes(m)) return;
    seen.push(m);
    for (const i of (Reflect.getMetadata(MODULE_METADATA.IMPORTS, m) ?? []) as Type[]) walk(i);
  };
  walk(root);
  return seen;
}

/**
 * The `return` commands' Nest context (returns.cli.ts) is ReturnsCoreModule under the CLI's root
 * (configuration, database, audit). A controller module in it would bring its DTOs, and with them
 * OpenAPI and class-validator: memory and start-up time every return command pays (issue 17).
 */
describe('the return commands’ modules', () => {
  it('are the core modules only: no controller anywhere in the graph', () => {
    const graph = moduleGraph(ReturnsCoreModule);
    expect(graph.map((m) => m.name)).toEqual([
      'ReturnsCoreModule',
      'AuditModule',
      'PeriodsModule',
      'ReconciliationCoreModule',
    ]);
    for (const m of graph)
      expect([m.name, Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, m) ?? []]).toEqual([m.name, []]);
  });
});
