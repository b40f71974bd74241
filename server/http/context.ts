/**
 * What the plumbing attaches to each request: the authenticated principal (session or API
 * token), the CSRF token for forms, and the validated input.
 */
import type { Role } from '../storage/schema';

export interface Principal {
  userId: string | null;
  orgId: string | null;
  orgCode: string | null;
  orgName: string | null;
  role: Role;
  email: string | null;
  displayName: string;
  via: 'session' | 'token';
  sessionId?: string;
  tokenId?: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      principal?: Principal;
      csrfToken?: string;
      valid?: unknown;
      wantsJson?: boolean;
      /** Set by validate({ view }): the form to re-render when a service rejects the input. */
      form?: { view: string; params: import('express').Request['params']; viewModel?: (req: import('express').Request) => Promise<Record<string, unknown>> | Record<string, unknown> };
    }
    interface Locals {
      flash?: { type: 'success' | 'error' | 'info'; message: string } | null;
    }
  }
}

export {};
