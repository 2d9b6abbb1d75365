import { redisConnection } from './redis-connection.util';


describe('redisConnection', () => {
  it('parses host, port, credentials and database', () => {
    expect(redisConnection('redis://user:p%40ss@cache.internal:6380/3')).toEqual({
      host: 'cache.internal',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 3,
    });
  });

  it('defaults the port and database, and turns TLS on for rediss://', () => {
    expect(redisConnection('redis://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 6379, db: 0 });
    expect(redisConnection('rediss://:secret@example.com')).toEqual({
      host: 'example.com',
      port: 6379,
      password: 'secret',
      db: 0,
      tls: {},
    });
  });

  it('rejects other schemes and bad database numbers', () => {
    expect(() => redisConnection('http://127.0.0.1:6379')).toThrow(/redis:\/\//);
    expect(() => redisConnection('redis://127.0.0.1:6379/x')).toThrow(/database/);
  });
});
