import { describe, expect, it } from 'vitest';
import {
  isRegionKey,
  normaliseBaseUrl,
  REGIONS,
  regionForUrl,
  resolveEndpoint,
} from '../../../core/genesys/regions';

describe('regions', () => {
  it('lists the 18 regions of the SDK with api/login/apps hosts', () => {
    expect(REGIONS).toHaveLength(18);
    const dublin = REGIONS.find((entry) => entry.region === 'eu_west_1');
    expect(dublin).toMatchObject({
      apiUrl: 'https://api.mypurecloud.ie',
      loginUrl: 'https://login.mypurecloud.ie',
      appsUrl: 'https://apps.mypurecloud.ie',
    });
    expect(REGIONS.find((entry) => entry.region === 'us_east_2')?.domain).toBe(
      'use2.us-gov-pure.cloud',
    );
  });

  it('resolves a custom base URL to the same origin for api and login', () => {
    expect(resolveEndpoint({ apiUrl: 'http://127.0.0.1:9000/' })).toEqual({
      region: 'custom',
      apiUrl: 'http://127.0.0.1:9000',
      loginUrl: 'http://127.0.0.1:9000',
      appsUrl: 'http://127.0.0.1:9000',
    });
  });

  it('rejects non-http URLs with a message saying what to type', () => {
    expect(() => normaliseBaseUrl('ftp://x')).toThrow(/http:\/\/ or https:\/\//);
    expect(() => normaliseBaseUrl('not a url')).toThrow(/not a valid URL/);
  });

  it('recognises region keys and region hosts', () => {
    expect(isRegionKey('ap_northeast_3')).toBe(true);
    expect(isRegionKey('toString')).toBe(false);
    expect(regionForUrl('https://api.mypurecloud.de/api/v2')).toBe('eu_central_1');
    expect(regionForUrl('https://example.com')).toBeUndefined();
  });
});
