// The signed-in key lives in sessionStorage only: it goes when the tab closes, is never a cookie, and is sent
// only as a Bearer header to this origin's API.

const KEY = 'tollgate.key';
const ROLE = 'tollgate.role';
const PREFIX = 'tollgate.prefix';

export type Role = 'master' | 'virtual';

export const session = {
  key(): string | null {
    return sessionStorage.getItem(KEY);
  },
  role(): Role | null {
    const r = sessionStorage.getItem(ROLE);
    return r === 'master' || r === 'virtual' ? r : null;
  },
  /** The virtual key's prefix (its id); null for the master key. */
  prefix(): string | null {
    return sessionStorage.getItem(PREFIX);
  },
  isMaster(): boolean {
    return this.role() === 'master';
  },
  set(key: string, role: Role, prefix: string | null): void {
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(ROLE, role);
    if (prefix) {
      sessionStorage.setItem(PREFIX, prefix);
    } else {
      sessionStorage.removeItem(PREFIX);
    }
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(ROLE);
    sessionStorage.removeItem(PREFIX);
  },
};
