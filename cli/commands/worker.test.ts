import { parseTenantList } from './worker';

describe('qs worker broker --tenants', () => {
  it('takes comma-separated slugs, trimmed', () => {
    expect(parseTenantList('acme, beta-2')).toEqual(['acme', 'beta-2']);
  });

  it('refuses an empty entry, a non-slug and a repeat, naming it', () => {
    expect(() => parseTenantList('acme,,beta')).toThrow(/--tenants: an empty entry in "acme,,beta"/);
    expect(() => parseTenantList('Acme Corp')).toThrow(/--tenants: "Acme Corp" is not a tenant slug/);
    expect(() => parseTenantList('acme,acme')).toThrow(/--tenants: acme is listed twice/);
  });
});
