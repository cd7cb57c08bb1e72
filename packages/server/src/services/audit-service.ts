import type { AuditEntry, AuditQuery, ListResult } from '../stores/types.js';
import type { ServiceContext } from './context.js';
import { page } from './lookups.js';

/** The audit log: who changed what, when, and how it looked before and after. */
export class AuditService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Entries newest first, filtered by project, environment, resource and action. */
  list(query: { [K in keyof AuditQuery]?: AuditQuery[K] | undefined } = {}): Promise<ListResult<AuditEntry>> {
    return this.ctx.store.listAudit({ ...query, ...page(query) });
  }
}
