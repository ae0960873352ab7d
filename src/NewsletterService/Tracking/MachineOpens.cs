using System.Net;

namespace NewsletterService.Tracking;

/// <summary>
/// Which opens are machines fetching the pixel, not readers looking at the mail (the rule README's "Campaign reports and
/// tracking" documents): Apple Mail Privacy Protection, whose proxies fetch every image of every mail as it arrives, from
/// Apple's network (17.0.0.0/8) with the bare user agent <c>Mozilla/5.0</c>; clients that name themselves as scanners or tools;
/// and any fetch within <see cref="TrackingOptions.MachineOpenSeconds"/> of the delivery (link scanners of mail gateways).
/// </summary>
public static class MachineOpens
{
    private static readonly string[] ScannerAgents =
        ["bot", "crawler", "spider", "scanner", "barracuda", "mimecast", "proofpoint", "curl", "wget", "python", "go-http-client",
            "headlesschrome", "java/", "okhttp"];

    /// <summary>What the request alone tells: Apple's proxy or a tool.</summary>
    public static bool ByClient(IPAddress? address, string? userAgent)
    {
        if (address is { IsIPv4MappedToIPv6: true }) address = address.MapToIPv4();
        if (address?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && address.GetAddressBytes()[0] == 17) return true;
        var agent = userAgent?.Trim() ?? "";
        return agent is "" or "Mozilla/5.0" || ScannerAgents.Any(s => agent.Contains(s, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Fetched so soon after the mail went out that no reader can have opened it.</summary>
    public static bool BySpeed(DateTime openedAt, DateTime? sentAt, int machineSeconds) =>
        sentAt is { } sent && (openedAt - sent).TotalSeconds < machineSeconds;
}
