export { AlreadyExistsError } from './already-exists-error.js';
export { ForbiddenError, ReadOnlyError, UnauthenticatedError } from './auth-errors.js';
export { ChangeVetoedError } from './change-vetoed-error.js';
export { InUseError } from './in-use-error.js';
export { NotFoundError } from './not-found-error.js';
export { SchemaVersionError, StoreUnavailableError, TransientStoreError } from './store-errors.js';
export { ValidationError } from './validation-error.js';
export { VersionConflictError } from './version-conflict-error.js';
export { type Issue, VexilError } from './vexil-error.js';
