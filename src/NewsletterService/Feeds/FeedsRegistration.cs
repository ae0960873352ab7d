using System.Net;
using System.Net.Sockets;
using Hangfire;
using Microsoft.Extensions.Options;
using NewsletterService.Infrastructure;

namespace NewsletterService.Feeds;

public static class FeedsRegistration
{
    public static WebApplicationBuilder AddFeeds(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<FeedOptions>(FeedOptions.Section);
        builder.Services.AddSingleton<FeedAddressRule>();
        builder.Services
            .AddHttpClient(nameof(FeedPoller), c => c.DefaultRequestHeaders.UserAgent.ParseAdd("NewsletterService-FeedPoller/1.0"))
            .ConfigurePrimaryHttpMessageHandler(services => FeedHandler(services.GetRequiredService<FeedAddressRule>()));
        builder.Services.AddScoped<FeedPoller>();
        builder.Services.AddScoped<FeedPublisher>();
        builder.Services.AddScoped<FeedCatalog>();
        return builder;
    }

    /// <summary>
    /// The poller's handler: no proxy (it would connect for us, past the address rule), no cookies, a few redirects, and every
    /// connection, the first and each redirect's, opened by <see cref="ConnectAsync"/> to an address the rule allows.
    /// </summary>
    private static SocketsHttpHandler FeedHandler(FeedAddressRule rule) => new()
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = FeedAddressRule.MaxRedirects,
        ConnectCallback = (context, ct) => ConnectAsync(rule, context, ct),
    };

    /// <summary>
    /// Resolves the host itself and connects only to the addresses it resolves to that the rule allows, so a name cannot change
    /// its address in between; and only for http(s) (the handler would follow a redirect to <c>ftp://host/</c> and speak HTTP to port 21).
    /// </summary>
    private static async ValueTask<Stream> ConnectAsync(FeedAddressRule rule, SocketsHttpConnectionContext context, CancellationToken ct)
    {
        if (context.InitialRequestMessage.RequestUri?.Scheme is not ("http" or "https")) throw new FeedReadException(FeedErrors.Redirects);
        var endPoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endPoint.Host, ct);
        var allowed = addresses.Where(rule.Allows).Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).ToArray();
        if (allowed.Length == 0) throw new FeedAddressRefusedException(endPoint.Host, addresses);

        for (var i = 0; ; i++) // each allowed address in turn, as the default handler tries each address of a name
        {
            var socket = new Socket(allowed[i].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed[i], endPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException) when (i < allowed.Length - 1)
            {
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    /// <summary>Registers (or updates) the recurring job that polls every feed.</summary>
    public static WebApplication ScheduleFeedPolling(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<FeedOptions>>().Value;
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<FeedPoller>(FeedPoller.RecurringJobId, p => p.PollAllAsync(CancellationToken.None), options.Cron!);
        return app;
    }
}
