using Microsoft.Extensions.Options;

namespace NewsletterService.Delivery;

/// <summary>
/// The limits of <c>Smtp:*</c> as throttles that every process keeps together over the database: <see cref="Overall"/>
/// for all sending (<c>Smtp:MessagesPerSecond</c> when there are several servers, and the sliding window), and one per
/// server (its <c>MessagesPerSecond</c>; the scope is its host and port as configured, so give every process the same
/// spelling). Each call makes a new throttle; an unlimited one is null: no permits, no database traffic.
/// </summary>
public sealed class SendThrottles(IOptions<SmtpOptions> options, SendRateStore store, TimeProvider time, ILogger<SharedSendThrottle> log)
{
    public const string OverallScope = "all";

    public ISendThrottle? Overall() => Create(new SendLimit(OverallScope,
        options.Value.Servers.Count > 0 ? options.Value.MessagesPerSecond : 0, // one server: its own rate is the rate
        options.Value.WindowMessages, options.Value.WindowDuration));

    public ISendThrottle? ForServer(SmtpServerOptions server) =>
        Create(new SendLimit($"server:{server.Host.ToLowerInvariant()}:{server.Port}", server.MessagesPerSecond, 0, TimeSpan.Zero));

    public ISendThrottle? Create(SendLimit limit) => limit.IsUnlimited ? null : new SharedSendThrottle(limit, store, time, log);
}
