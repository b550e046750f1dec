/** The state of a view's API calls: whether one runs, and how the last one failed. */
import { asApiError, type ApiError } from './api';

export class Action {
  busy = $state(false);
  error = $state<ApiError | null>(null);

  /** Whether the last call failed and none runs now: what is still missing will not come without a retry. */
  get failed(): boolean {
    return this.error !== null && !this.busy;
  }

  /** Runs `work`; a failure is kept in `error` (for ErrorNotice) and the result is then undefined. */
  async run<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.error = null;
    try {
      return await work();
    } catch (err) {
      this.error = asApiError(err);
      return undefined;
    } finally {
      this.busy = false;
    }
  }
}
