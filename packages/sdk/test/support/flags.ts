import type { FlagSetInput } from '@vexil/core';

/** A small flag set used across the tests. */
export function sampleFlags(version = 1): FlagSetInput {
  return {
    version,
    environment: 'production',
    segments: { beta: { included: ['user-beta'] } },
    flags: {
      'new-checkout': {
        type: 'boolean',
        enabled: true,
        clientVisible: true,
        rules: [
          { id: 'beta-users', conditions: [{ op: 'segment', value: 'beta' }], serve: { variant: 'on' } },
        ],
        defaultServe: { variant: 'off' },
        metadata: { owner: 'payments' },
      },
      'button-color': {
        type: 'string',
        enabled: true,
        clientVisible: true,
        variants: { green: 'green', blue: 'blue' },
        rules: [
          {
            id: 'nl',
            conditions: [{ attribute: 'country', op: 'eq', value: 'NL' }],
            serve: { variant: 'blue' },
          },
        ],
        defaultServe: { variant: 'green' },
      },
      'max-items': {
        type: 'number',
        enabled: true,
        variants: { small: 10, large: 50 },
        defaultServe: { variant: 'large' },
      },
      theme: {
        type: 'json',
        enabled: true,
        variants: { dark: { background: '#000' } },
        defaultServe: { variant: 'dark' },
      },
      'kill-switch': { type: 'boolean', enabled: false, offVariant: 'off' },
    },
  };
}
