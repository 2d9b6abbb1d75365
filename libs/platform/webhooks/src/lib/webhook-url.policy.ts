import { promises as dnsPromises } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Resolves a hostname to every address it has (IPv4 and IPv6). */
export type HostResolver = (host: string) => Promise<string[]>;

export interface WebhookUrlPolicyOptions {
  /**
   * Hosts (names or IP literals, no ports) the operator trusts, from `WEBHOOK_ALLOWED_HOSTS`.
   * For these the address check is skipped entirely, at save time and at delivery.
   */
  allowedHosts: string[];
  /** Defaults to `dns.promises.lookup(host, { all: true })`, the resolver connections use. */
  resolve?: HostResolver;
}

export interface WebhookUrlCheckOptions {
  /** The webhook's `is_test`: only test webhooks may use plain `http`. */
  isTest: boolean;
}

/**
 * Why a URL is not acceptable:
 * - `invalid_url`: not an http(s) URL, has credentials, or http without `is_test`;
 * - `blocked_address`: the host is, or resolves to, a non-public address;
 * - `dns_error`: the host did not resolve (possibly temporary; a delivery retries it).
 */
export type WebhookUrlRefusalKind = 'invalid_url' | 'blocked_address' | 'dns_error';

export type WebhookUrlCheckResult = { ok: true } | { ok: false; reason: string; kind: WebhookUrlRefusalKind };

/** Parses `WEBHOOK_ALLOWED_HOSTS` (comma-separated hostnames or IPs) into a list. */
export function parseAllowedHosts(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host.length > 0);
}

/** Addresses cloud providers serve instance metadata (and credentials) on. */
const CLOUD_METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

/** How each non-public ipaddr.js range is named in a refusal. Every range but `unicast` is refused. */
const RANGE_DESCRIPTIONS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private address',
  reserved: 'a reserved address',
  as112: 'a reserved (AS112) address',
  amt: 'a reserved (AMT) address',
  uniqueLocal: 'a unique-local address',
  ipv4Mapped: 'an IPv4-mapped IPv6 address',
  rfc6145: 'an IPv4-translated IPv6 address',
  rfc6052: 'a NAT64 (IPv4-embedded IPv6) address',
  '6to4': 'a 6to4 tunnel address',
  teredo: 'a Teredo tunnel address',
  deprecatedSiteLocal: 'a site-local address',
  discard: 'a discard-only address',
  benchmarking: 'a benchmarking address',
  as112v6: 'a reserved (AS112) address',
  deprecatedOrchid: 'a reserved (ORCHID) address',
  orchid2: 'a reserved (ORCHIDv2) address',
  droneRemoteIdProtocolEntityTags: 'a reserved (DRIP) address',
  segmentRouting: 'a segment-routing address',
};

/**
 * Why an address may not receive webhooks, or undefined when it is a public unicast address.
 * Uses ipaddr.js `range()`: everything it does not call `unicast` is refused, which is exactly
 * what request-filtering-agent refuses at connect time. IPv4-mapped IPv6 addresses are named
 * after the IPv4 address inside them.
 */
export function describeBlockedAddress(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return 'an address that cannot be parsed';
  }
  if (CLOUD_METADATA_ADDRESSES.has(parsed.toString())) return 'a cloud-metadata address';
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) {
      const inner = v6.toIPv4Address().toString();
      const innerProblem = describeBlockedAddress(inner);
      return innerProblem ? `an IPv4-mapped IPv6 address of ${innerProblem} (${inner})` : RANGE_DESCRIPTIONS['ipv4Mapped'];
    }
  }
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  return RANGE_DESCRIPTIONS[range] ?? `a non-public (${range}) address`;
}

/** Lower-case, no IPv6 brackets, no trailing dot, IP literals in canonical form. */
function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (ipaddr.isValid(h) && isIP(h) !== 0) h = ipaddr.parse(h).toString();
  return h;
}

const defaultResolve: HostResolver = async (host) => (await dnsPromises.lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * Decides whether a webhook may point at a URL. Run it when the webhook is saved (answer 400
 * with `reason`) and again before every delivery, because DNS can change; the sender also
 * checks addresses at connect time (request-filtering-agent), so a rebinding between this
 * check and the connection is caught too.
 */
export class WebhookUrlPolicy {
  private readonly allowed: Set<string>;
  private readonly resolve: HostResolver;

  constructor(options: WebhookUrlPolicyOptions) {
    this.allowed = new Set(options.allowedHosts.map(normalizeHost).filter((host) => host.length > 0));
    this.resolve = options.resolve ?? defaultResolve;
  }

  /** True when the operator listed this host (name or IP) in `WEBHOOK_ALLOWED_HOSTS`. */
  isAllowedHost(host: string): boolean {
    return this.allowed.has(normalizeHost(host));
  }

  async check(url: string, { isTest }: WebhookUrlCheckOptions): Promise<WebhookUrlCheckResult> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return invalid('url: not a valid absolute URL');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      return invalid(`url: scheme must be https (or http for a test webhook), not ${parsed.protocol.replace(/:$/, '')}`);
    }
    // Credentials in a URL would be stored and sent to the receiver; they are never echoed back.
    if (parsed.username !== '' || parsed.password !== '') {
      return invalid('url: must not contain credentials (user:password@)');
    }
    if (parsed.protocol === 'http:' && !isTest) {
      return invalid('url: must use https (http is allowed only for test webhooks)');
    }
    const host = normalizeHost(parsed.hostname);
    if (host === '') return invalid('url: host is required');
    if (this.allowed.has(host)) return { ok: true };

    let addresses: string[];
    if (isIP(host) !== 0) {
      addresses = [host];
    } else {
      try {
        addresses = await this.resolve(host);
      } catch (error) {
        const code = typeof error?.code === 'string' ? ` (${error.code})` : '';
        return { ok: false, kind: 'dns_error', reason: `url: host ${host} could not be resolved${code}` };
      }
      if (addresses.length === 0) {
        return { ok: false, kind: 'dns_error', reason: `url: host ${host} could not be resolved (no addresses)` };
      }
    }
    for (const address of addresses) {
      const problem = describeBlockedAddress(address);
      if (problem) {
        return { ok: false, kind: 'blocked_address', reason: `url: host ${host} resolves to ${problem} (${address})` };
      }
    }
    return { ok: true };
  }
}

function invalid(reason: string): WebhookUrlCheckResult {
  return { ok: false, kind: 'invalid_url', reason };
}
