import { ConfigError } from './config.errors';
import { httpSettings } from './http.settings';

describe('httpSettings', () => {
  it('turns CORS off and trusts no proxy by default', () => {
    expect(httpSettings({})).toEqual({ corsOrigins: [], trustProxy: false });
  });

  it('reads CORS_ORIGINS as a list of origins, without trailing slashes or repeats', () => {
    expect(httpSettings({ CORS_ORIGINS: ' https://app.example.com/, http://localhost:5173 ,https://app.example.com' }).corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    expect(httpSettings({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
  });

  it.each(['app.example.com', 'https://app.example.com/path', 'ftp://files.example.com'])('refuses %s in CORS_ORIGINS, naming the variable', (origin) => {
    expect(() => httpSettings({ CORS_ORIGINS: origin })).toThrow(ConfigError);
    expect(() => httpSettings({ CORS_ORIGINS: origin })).toThrow(/CORS_ORIGINS/);
  });

  it('reads TRUST_PROXY as true or false and refuses anything else', () => {
    expect(httpSettings({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(httpSettings({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(() => httpSettings({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY must be true or false/);
  });
});
