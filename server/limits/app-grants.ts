/**
 * R13, app permission (rule `app-permission`; fact `app.granted`): an app sends on behalf of an
 * account only with that account's DM grant; revoking it stops it.
 */
import { ObjectColumn } from '../state/numbering.ts';

/** The apps each account (by number) granted. Few accounts grant any, and those few apps. */
export class AppGrants {
  private readonly byAccount = new ObjectColumn<Set<string>>();

  grant(account: number, appId: string): void {
    let apps = this.byAccount.get(account);
    if (!apps) this.byAccount.set(account, (apps = new Set()));
    apps.add(appId);
  }

  revoke(account: number, appId: string): void {
    this.byAccount.get(account)?.delete(appId);
  }

  /** Whether `appId` may send for the account; a send through no app needs no grant. -1 is an account never seen. */
  granted(account: number, appId: string | null): boolean {
    if (appId === null) return true;
    return account >= 0 && this.byAccount.get(account)?.has(appId) === true;
  }

  /** The account's grants, sorted: for comparing states. */
  snapshot(account: number): string[] {
    return [...(this.byAccount.get(account) ?? [])].sort();
  }
}
