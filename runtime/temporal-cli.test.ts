import { ensureTemporalCli } from './temporal-cli';

describe('ensureTemporalCli', () => {
  it('names TEMPORAL_CLI when it points at something that does not run', async () => {
    await expect(ensureTemporalCli(() => undefined, { TEMPORAL_CLI: '/nonexistent/temporal' })).rejects.toThrow(
      'TEMPORAL_CLI=/nonexistent/temporal does not run (`/nonexistent/temporal --version` failed)',
    );
  });
});
