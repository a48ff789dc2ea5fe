import { describe, expect, it } from 'vitest';
import { canTransition, type Transitions } from '../../src/common/status-machine.js';

/**
 * A record's status machine, checked for every pair of statuses: exactly the moves in `allowed`
 * ("FROM>TO") are possible.
 */
export function describeStatusMachine<S extends string>(what: string, table: Transitions<S>, statuses: readonly S[], allowed: readonly string[]): void {
  describe(`${what} status machine`, () => {
    const moves = new Set(allowed);
    for (const from of statuses) {
      for (const to of statuses) {
        const ok = moves.has(`${from}>${to}`);
        it(`${from} → ${to}: ${ok ? 'allowed' : 'refused'}`, () => {
          expect(canTransition(table, from, to)).toBe(ok);
        });
      }
    }
  });
}
