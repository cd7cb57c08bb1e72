import type { ApiError } from '../../api/errors.js';
import type { FlagView } from '../../api/types.js';
import type { FlagTarget } from '../../api/vexil-api.js';

/** What every section of the flag page gets: the flag on screen and a way to change it. */
export interface FlagSectionProps {
  readonly flag: FlagView;
  readonly project: string;
  /** Runs a write based on the flag's version; resolves to the error, if any (412s are handled). */
  readonly write: (
    action: (version: number) => Promise<FlagView>,
    success?: string,
  ) => Promise<ApiError | undefined>;
  readonly busy: boolean;
}

export interface EnvSectionProps extends FlagSectionProps {
  readonly environment: string;
  readonly target: FlagTarget;
}
