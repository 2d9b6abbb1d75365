import { describeBlockedAddress, parseAllowedHosts, WebhookUrlPolicy, type HostResolver } from './webhook-url.policy';

/** A resolver that answers from a table and records what it was asked; never touches DNS. */
function fakeResolver(table: Record<string, string[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (host: string) => {
    asked.push(host);
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses;
  };
  return Object.assign(resolve, { asked });
}

const PUBLIC_V4 = '93.184.216.34';
const PUBLIC_V6 = '2606:2800:220:1:248:1893:25c8:1946';

// Every refused range, as literal addresses, with the words the reason must use.
const BLOCKED: Array<[string, string]> = [
  ['127.0.0.1', 'a loopback address'],
  ['127.255.255.254', 'a loopback address'],
  ['::1', 'a loopback address'],
  ['10.0.0.5', 'a private address'],
  ['172.16.0.1', 'a private address'],
  ['172.31.255.255', 'a private address'],
  ['192.168.1.1', 'a private address'],
  ['169.254.10.20', 'a link-local address'],
  ['fe80::1', 'a link-local address'],
  ['fc00::1', 'a unique-local address'],
  ['fd12:3456:789a::1', 'a unique-local address'],
  ['169.254.169.254', 'a cloud-metadata address'],
  ['fd00:ec2::254', 'a cloud-metadata address'],
  ['100.100.100.200', 'a cloud-metadata address'],
  ['0.0.0.0', 'an unspecified address'],
  ['0.1.2.3', 'an unspecified address'],
  ['::', 'an unspecified address'],
  ['100.64.0.1', 'a carrier-grade NAT address'],
  ['100.127.255.254', 'a carrier-grade NAT address'],
  ['224.0.0.1', 'a multicast address'],
  ['239.255.255.250', 'a multicast address'],
  ['ff02::1', 'a multicast address'],
  ['255.255.255.255', 'a broadcast address'],
  ['192.0.2.1', 'a reserved address'],
  ['198.18.0.1', 'a reserved address'],
  ['198.51.100.7', 'a reserved address'],
  ['203.0.113.9', 'a reserved address'],
  ['240.0.0.1', 'a reserved address'],
  ['2001:db8::1', 'a reserved address'],
  ['fec0::1', 'a site-local address'],
  ['64:ff9b::a00:5', 'a NAT64 (IPv4-embedded IPv6) address'],
  ['2002:a00:5::1', 'a 6to4 tunnel address'],
  ['::ffff:127.0.0.1', 'an IPv4-mapped IPv6 address of a loopback address (127.0.0.1)'],
  ['::ffff:10.0.0.5', 'an IPv4-mapped IPv6 address of a private address (10.0.0.5)'],
  ['::ffff:169.254.169.254', 'an IPv4-mapped IPv6 address of a cloud-metadata address (169.254.169.254)'],
  ['::ffff:100.64.0.1', 'an IPv4-mapped IPv6 address of a carrier-grade NAT address (100.64.0.1)'],
  ['::ffff:0.0.0.0', 'an IPv4-mapped IPv6 address of an unspecified address (0.0.0.0)'],
];

describe('describeBlockedAddress', () => {
  it.each(BLOCKED)('refuses %s as %s', (address, description) => {
    expect(describeBlockedAddress(address)).toBe(description);
  });

  it.each([PUBLIC_V4, '8.8.8.8', '1.1.1.1', '100.63.255.255', '100.128.0.1', '172.15.255.255', '172.32.0.1', '169.253.255.255', PUBLIC_V6, '2a00:1450:4001:82a::200e'])(
    'lets the public address %s through',
    (address) => {
      expect(describeBlockedAddress(address)).toBeUndefined();
    },
  );

  it('refuses an IPv4-mapped form even of a public address (the connect-time check refuses it too)', () => {
    expect(describeBlockedAddress('::ffff:8.8.8.8')).toBe('an IPv4-mapped IPv6 address');
  });

  it('refuses what it cannot parse', () => {
    expect(describeBlockedAddress('not-an-ip')).toBe('an address that cannot be parsed');
  });
});

describe('WebhookUrlPolicy.check', () => {
  const resolve = fakeResolver({
    'hooks.example.com': [PUBLIC_V4, PUBLIC_V6],
    'internal.example.com': ['10.0.0.5'],
    'mixed.example.com': [PUBLIC_V4, '169.254.169.254'],
    'v6-internal.example.com': [PUBLIC_V4, 'fd00::7'],
    'empty.example.com': [],
  });
  const policy = new WebhookUrlPolicy({ allowedHosts: [], resolve });

  it('accepts an https URL whose host resolves only to public addresses', async () => {
    await expect(policy.check('https://hooks.example.com/shipbatch?x=1', { isTest: false })).resolves.toEqual({ ok: true });
    await expect(policy.check(`https://${PUBLIC_V4}:8443/hook`, { isTest: false })).resolves.toEqual({ ok: true });
    await expect(policy.check(`https://[${PUBLIC_V6}]/hook`, { isTest: false })).resolves.toEqual({ ok: true });
  });

  it.each(BLOCKED)('refuses a literal %s host (%s)', async (address, description) => {
    const host = address.includes(':') ? `[${address}]` : address;
    const result = await policy.check(`https://${host}/hook`, { isTest: false });
    expect(result).toMatchObject({ ok: false, kind: 'blocked_address' });
    expect(!result.ok && result.reason).toContain(`resolves to ${description}`);
  });

  it.each(BLOCKED)('refuses a name that resolves to %s (%s)', async (address, description) => {
    const named = new WebhookUrlPolicy({ allowedHosts: [], resolve: fakeResolver({ 'rebind.example.net': [address] }) });
    const result = await named.check('https://rebind.example.net/hook', { isTest: false });
    expect(result).toEqual({ ok: false, kind: 'blocked_address', reason: `url: host rebind.example.net resolves to ${description} (${address})` });
  });

  it('names the host and the address in the reason', async () => {
    await expect(policy.check('https://10.0.0.5/hook', { isTest: false })).resolves.toEqual({
      ok: false,
      kind: 'blocked_address',
      reason: 'url: host 10.0.0.5 resolves to a private address (10.0.0.5)',
    });
    await expect(policy.check('https://internal.example.com/hook', { isTest: false })).resolves.toEqual({
      ok: false,
      kind: 'blocked_address',
      reason: 'url: host internal.example.com resolves to a private address (10.0.0.5)',
    });
  });

  it('refuses when ANY resolved address is blocked', async () => {
    await expect(policy.check('https://mixed.example.com/', { isTest: false })).resolves.toMatchObject({
      ok: false,
      reason: 'url: host mixed.example.com resolves to a cloud-metadata address (169.254.169.254)',
    });
    await expect(policy.check('https://v6-internal.example.com/', { isTest: false })).resolves.toMatchObject({
      ok: false,
      reason: 'url: host v6-internal.example.com resolves to a unique-local address (fd00::7)',
    });
  });

  it('sees through the alternative IPv4 spellings the URL parser normalizes', async () => {
    for (const url of ['https://2130706433/', 'https://0x7f.0.0.1/', 'https://0177.0.0.1/', 'https://127.1/']) {
      await expect(policy.check(url, { isTest: false })).resolves.toMatchObject({
        ok: false,
        reason: 'url: host 127.0.0.1 resolves to a loopback address (127.0.0.1)',
      });
    }
    await expect(policy.check('https://[::ffff:7f00:1]/', { isTest: false })).resolves.toMatchObject({ ok: false, kind: 'blocked_address' });
  });

  it('does not resolve literal IPs', async () => {
    const literal = fakeResolver({});
    const p = new WebhookUrlPolicy({ allowedHosts: [], resolve: literal });
    await p.check(`https://${PUBLIC_V4}/`, { isTest: false });
    await p.check('https://[::1]/', { isTest: false });
    expect(literal.asked).toEqual([]);
  });

  it('allows http only for test webhooks', async () => {
    await expect(policy.check('http://hooks.example.com/', { isTest: false })).resolves.toEqual({
      ok: false,
      kind: 'invalid_url',
      reason: 'url: must use https (http is allowed only for test webhooks)',
    });
    await expect(policy.check('http://hooks.example.com/', { isTest: true })).resolves.toEqual({ ok: true });
    // is_test does not lift the address check.
    await expect(policy.check('http://10.0.0.5/', { isTest: true })).resolves.toMatchObject({ ok: false, kind: 'blocked_address' });
  });

  it.each(['ftp://hooks.example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'ws://hooks.example.com/', 'gopher://hooks.example.com/'])(
    'refuses the non-http(s) URL %s',
    async (url) => {
      const result = await policy.check(url, { isTest: true });
      expect(result).toMatchObject({ ok: false, kind: 'invalid_url' });
      expect(!result.ok && result.reason).toMatch(/^url: scheme must be https/);
    },
  );

  it.each(['', 'hooks.example.com/x', '/relative', 'https://', 'https://exa mple.com/', 'http://[::1/'])('refuses the unparseable URL %j', async (url) => {
    await expect(policy.check(url, { isTest: true })).resolves.toEqual({ ok: false, kind: 'invalid_url', reason: 'url: not a valid absolute URL' });
  });

  it('refuses credentials in the URL without echoing them', async () => {
    for (const url of ['https://alice:s3cr3t-pw@hooks.example.com/', 'https://tokenonly@hooks.example.com/', 'https://:s3cr3t-pw@hooks.example.com/']) {
      const result = await policy.check(url, { isTest: false });
      expect(result).toEqual({ ok: false, kind: 'invalid_url', reason: 'url: must not contain credentials (user:password@)' });
      expect(JSON.stringify(result)).not.toMatch(/alice|s3cr3t|tokenonly/);
    }
  });

  it('reports a host that does not resolve as a dns_error, naming the code', async () => {
    await expect(policy.check('https://nowhere.example.com/', { isTest: false })).resolves.toEqual({
      ok: false,
      kind: 'dns_error',
      reason: 'url: host nowhere.example.com could not be resolved (ENOTFOUND)',
    });
    await expect(policy.check('https://empty.example.com/', { isTest: false })).resolves.toEqual({
      ok: false,
      kind: 'dns_error',
      reason: 'url: host empty.example.com could not be resolved (no addresses)',
    });
  });

  describe('with WEBHOOK_ALLOWED_HOSTS', () => {
    const guarded = fakeResolver({ 'internal.example.com': ['10.0.0.5'], 'other.internal': ['10.0.0.6'] });
    const allowing = new WebhookUrlPolicy({
      allowedHosts: parseAllowedHosts(' Internal.Example.com. , 127.0.0.1,[::1], ,0:0:0:0:0:0:0:0 '),
      resolve: guarded,
    });

    it('skips the address check entirely for listed hosts (names case-insensitively, IPs canonically)', async () => {
      await expect(allowing.check('https://internal.example.com/hook', { isTest: false })).resolves.toEqual({ ok: true });
      await expect(allowing.check('https://INTERNAL.example.com./hook', { isTest: false })).resolves.toEqual({ ok: true });
      await expect(allowing.check('http://127.0.0.1:4000/hook', { isTest: true })).resolves.toEqual({ ok: true });
      await expect(allowing.check('http://[::1]:4000/hook', { isTest: true })).resolves.toEqual({ ok: true });
      await expect(allowing.check('http://[::]:4000/hook', { isTest: true })).resolves.toEqual({ ok: true });
      expect(guarded.asked).toEqual([]);
      expect(allowing.isAllowedHost('[0::1]')).toBe(true);
    });

    it('still refuses hosts not listed, and still enforces scheme and credential rules for listed ones', async () => {
      await expect(allowing.check('https://other.internal/', { isTest: false })).resolves.toMatchObject({ ok: false, kind: 'blocked_address' });
      await expect(allowing.check('https://127.0.0.2/', { isTest: false })).resolves.toMatchObject({ ok: false, kind: 'blocked_address' });
      await expect(allowing.check('http://127.0.0.1/', { isTest: false })).resolves.toMatchObject({ ok: false, kind: 'invalid_url' });
      await expect(allowing.check('https://u:p@127.0.0.1/', { isTest: false })).resolves.toMatchObject({ ok: false, kind: 'invalid_url' });
    });
  });
});

describe('parseAllowedHosts', () => {
  it('splits on commas and drops blanks', () => {
    expect(parseAllowedHosts(undefined)).toEqual([]);
    expect(parseAllowedHosts('')).toEqual([]);
    expect(parseAllowedHosts(' a.example , ,10.0.0.5,::1 ')).toEqual(['a.example', '10.0.0.5', '::1']);
  });
});

describe('the default resolver', () => {
  it('resolves localhost from the hosts file and refuses it', async () => {
    const result = await new WebhookUrlPolicy({ allowedHosts: [] }).check('http://localhost:9/', { isTest: true });
    expect(result).toMatchObject({ ok: false, kind: 'blocked_address' });
    expect(!result.ok && result.reason).toMatch(/^url: host localhost resolves to a loopback address \((127\.0\.0\.1|::1)\)$/);
  });
});
