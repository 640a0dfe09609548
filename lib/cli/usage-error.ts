/** A mistake in how the command line was written: reported with exit status 2 and a pointer to --help. */
export class UsageError extends Error {
  /**
   * @param message what is wrong: the flag, the value given and what is allowed
   * @param command the command whose --help to point at, if any
   */
  constructor(message: string, public readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }
}
