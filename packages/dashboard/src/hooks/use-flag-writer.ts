import { useCallback, useState } from 'react';
import { type ApiError, asApiError } from '../api/errors.js';
import type { FlagView } from '../api/types.js';
import { useToast } from '../components/toasts.js';

/**
 * Runs a write on a flag based on the version on screen (`If-Match`). On success the
 * returned flag replaces it; on 412 the flag is reloaded and the person told; any other
 * error is returned (for the form to show at its fields).
 */
export function useFlagWriter(
  flag: FlagView | undefined,
  set: (f: FlagView) => void,
  reload: () => Promise<unknown>,
) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const write = useCallback(
    async (
      action: (version: number) => Promise<FlagView>,
      success?: string,
    ): Promise<ApiError | undefined> => {
      if (flag === undefined) return undefined;
      setBusy(true);
      try {
        set(await action(flag.version));
        if (success !== undefined) toast.show(success, 'success');
        return undefined;
      } catch (e) {
        const error = asApiError(e);
        if (error.code === 'VERSION_CONFLICT') {
          toast.show(
            `Someone else changed ${flag.key} since you loaded it (you had version ${flag.version}). ` +
              'It has been reloaded: check it and try again.',
            'error',
          );
          await reload();
        } else if (error.code !== 'VALIDATION_FAILED') toast.show(error.message, 'error');
        return error;
      } finally {
        setBusy(false);
      }
    },
    [flag, set, reload, toast],
  );
  return { write, busy };
}
