/** An error the user caused (bad flag, bad JSON, unknown tenant): printed as one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
