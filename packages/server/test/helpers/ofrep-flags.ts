import type { Vexil } from '../../src/services/index.js';

/**
 * Creates the two client-visible flags the OFREP tests evaluate in project `shop`: `banner`
 * (boolean, on) and `split` (string, variants `a`/`b` rolled out 50/50).
 */
export async function createBannerAndSplit(vexil: Vexil): Promise<void> {
  await vexil.flags.create('shop', 'banner', { type: 'boolean', clientVisible: true, enabled: true });
  await vexil.flags.create('shop', 'split', {
    type: 'string',
    clientVisible: true,
    variants: { a: 'a', b: 'b' },
    enabled: true,
    defaultServe: { rollout: { variants: { a: 50_000, b: 50_000 } } },
  });
}
