import { loadConfig } from './config';
import { appDatabaseUrl } from './database';

describe('appDatabaseUrl', () => {
  it('is QS_APP_DATABASE_URL when given', () => {
    expect(
      appDatabaseUrl(
        loadConfig({
          DATABASE_URL: 'postgres://qs_admin:a@db:5432/q',
          QS_APP_DATABASE_URL: 'postgres://qs_app:b@db:5432/q',
        }),
      ),
    ).toBe('postgres://qs_app:b@db:5432/q');
  });

  it('derives the RLS-bound runtime role from DATABASE_URL, never the owner', () => {
    expect(
      appDatabaseUrl(loadConfig({ DATABASE_URL: 'postgres://qs_admin:a@db:5432/q', QS_APP_DB_PASSWORD: 's3cret' })),
    ).toBe('postgres://qs_app:s3cret@db:5432/q');
  });

  it('is undefined with no database configured (embedded)', () => {
    expect(appDatabaseUrl(loadConfig({}))).toBeUndefined();
  });
});
