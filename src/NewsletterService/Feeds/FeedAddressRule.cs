using System.Net;
using Microsoft.Extensions.Options;

namespace NewsletterService.Feeds;

/// <summary>
/// Which addresses a feed may be fetched from: public ones only, unless the operator allows private networks or some ranges
/// (<see cref="FeedOptions.AllowPrivateNetworks"/>, <see cref="FeedOptions.AllowedNetworks"/>). Checked for every connection
/// the poller opens, after its own DNS lookup, so neither a redirect nor a name that changes its address gets past it.
/// </summary>
public sealed class FeedAddressRule(IOptions<FeedOptions> options)
{
    public const int MaxRedirects = 5;

    /// <summary>IPv4 ranges that are not globally reachable (IANA special-purpose registry), multicast and reserved.</summary>
    private static readonly IPNetwork[] NotPublicV4 = Networks(
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
        "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4");

    /// <summary>
    /// Global unicast IPv6; everything outside it (loopback, unspecified, fc00::/7, fe80::/10, multicast...) is not public.
    /// </summary>
    private static readonly IPNetwork GlobalUnicastV6 = IPNetwork.Parse("2000::/3");

    /// <summary>Inside global unicast but not public: IETF protocol assignments (Teredo...), documentation, 6to4.</summary>
    private static readonly IPNetwork[] NotPublicV6 = Networks("2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20");

    /// <summary>
    /// IPv6 forms that carry an IPv4 address in their last 32 bits: IPv4-compatible and NAT64 (IPv4-mapped is checked apart).
    /// </summary>
    private static readonly IPNetwork[] EmbeddingIPv4 = Networks("::/96", "64:ff9b::/96");

    private readonly IPNetwork[] _allowed = Networks([.. options.Value.AllowedNetworks.Select(n => n.Trim())]);

    public bool Allows(IPAddress address)
    {
        var ipv4 = EmbeddedIPv4(address);
        return options.Value.AllowPrivateNetworks || IsPublic(address)
            || _allowed.Any(n => n.Contains(address) || ipv4 is not null && n.Contains(ipv4));
    }

    /// <summary>
    /// Whether the URL names a host that is refused before any lookup: <c>localhost</c> or an address literal not allowed.
    /// </summary>
    public bool RefusesHost(Uri url)
    {
        var host = url.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return !Allows(IPAddress.Loopback);
        return IPAddress.TryParse(host, out var address) && !Allows(address);
    }

    public static bool IsPublic(IPAddress address)
    {
        if (EmbeddedIPv4(address) is { } ipv4) address = ipv4;
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? !NotPublicV4.Any(n => n.Contains(address))
            : GlobalUnicastV6.Contains(address) && !NotPublicV6.Any(n => n.Contains(address));
    }

    private static IPAddress? EmbeddedIPv4(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4()
        : EmbeddingIPv4.Any(n => n.Contains(address)) ? new IPAddress(address.GetAddressBytes()[12..])
        : null;

    private static IPNetwork[] Networks(params string[] cidrs) => [.. cidrs.Select(c => IPNetwork.Parse(c))];
}
