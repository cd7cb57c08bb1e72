import { z } from 'zod';
import { SDK_CORS_HEADERS } from '../../delivery/delivery.js';
import { API, type App } from './app-type.js';
import type { DeliveryRouteContext } from './sdk-context.js';

const PublicKey = z.object({
  keyId: z.string(),
  algorithm: z.literal('Ed25519'),
  publicKey: z.string().describe('base64 SPKI DER'),
});
const KeyInfo = PublicKey.extend({
  status: z.enum(['current', 'previous']),
  createdAt: z.string().nullable(),
  retiresAt: z.string().nullable().describe('when a previous key stops being published'),
  source: z.enum(['store', 'config', 'ephemeral']),
});

/**
 * The public keys SDKs check signed flag sets with (no key needed), and the signing keys'
 * life cycle for admins (list, rotate).
 */
export function sdkSigningKeyRoutes(app: App, { delivery }: DeliveryRouteContext): void {
  const keys = delivery.signingKeys;
  app.get(
    `${API}/sdk/signing-keys`,
    {
      config: { access: 'public' },
      schema: {
        tags: ['sdk'],
        summary: 'Public keys that verify signed flag sets (current first)',
        security: [],
        response: { 200: z.object({ keys: z.array(PublicKey) }) },
      },
    },
    async (_request, reply) => {
      reply.headers({ ...SDK_CORS_HEADERS, 'cache-control': 'public, max-age=300' });
      return { keys: [...keys.publicKeys()] };
    },
  );
  app.get(
    `${API}/signing-keys`,
    {
      schema: {
        tags: ['signing keys'],
        summary: 'The signing keys: the current one and rotated-out ones still published',
        response: { 200: z.object({ items: z.array(KeyInfo) }) },
      },
    },
    async () => ({ items: [...keys.list()] }),
  );
  app.post(
    `${API}/signing-keys/rotate`,
    {
      schema: {
        tags: ['signing keys'],
        summary: 'Make a new signing key; the old one stays published for 30 days',
        description:
          'Snapshots built from now on are signed with the new key (other servers pick it up within a ' +
          'minute). Refused (409) when the key comes from VEXIL_SIGNING_KEY.',
        response: { 200: z.object({ items: z.array(KeyInfo) }) },
      },
    },
    async () => ({ items: [...(await keys.rotate())] }),
  );
}
