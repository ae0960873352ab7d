using System.Net;
using System.Net.Sockets;

namespace NewsletterService.Feeds;

/// <summary>A feed could not be read, for a reason stated in our own words (shown to the editor as the feed's last error).</summary>
public sealed class FeedReadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Every address the feed's host resolves to is refused by the <see cref="FeedAddressRule"/>; nothing was connected.</summary>
public sealed class FeedAddressRefusedException(string host, IEnumerable<IPAddress> addresses)
    : IOException($"{host} resolves only to refused addresses: {string.Join(", ", addresses)}");

/// <summary>
/// What the editor reads when a poll fails: what to do, in fixed words of ours. Nothing a remote server said (status line, body,
/// banner) is ever repeated, so the poller cannot be used to read or scan services it reaches; the log has the full exception.
/// </summary>
public static class FeedErrors
{
    public const string PrivateNetwork = "That address is on a private network, and feeds must be on the public internet. "
        + "Use the feed's public address (an operator can allow a private one with Feeds__AllowPrivateNetworks or Feeds__AllowedNetworks).";
    public const string NoSuchHost = "No server by that name was found. Check the address for typing errors.";
    public const string CouldNotConnect = "The feed's server could not be reached. Check the address; if it is right, "
        + "the server may be down: it is tried again at the next poll.";
    public const string NoSecureConnection = "A secure (https) connection with the feed's server could not be made. "
        + "Check the address, or ask the site's owner to fix its certificate.";
    public const string NotHttp = "The server at that address did not answer as a web server. Check the address and its port.";
    public const string TooSlow = "The feed's server took too long to answer. It is tried again at the next poll; if this keeps happening, "
        + "check the address.";
    public static readonly string Redirects = $"That address redirects more than {FeedAddressRule.MaxRedirects} times, from https to http, "
        + "or to something that is not a web address. Open it in a browser and register the feed's final address.";
    public const string NotAFeed =
        "That address doesn't serve an RSS or Atom feed. Check the URL, or paste the feed's address rather than the site's.";
    public const string Unknown = "The feed could not be read. Check the address; the service's log has the details for an operator.";

    public static string HttpError(int status) => status switch
    {
        404 or 410 => $"Nothing was found at that address (HTTP {status}). Check the URL: the feed may have moved.",
        401 or 403 => $"The feed's server refused access (HTTP {status}). The feed may be private; use a public feed's address.",
        429 => $"The feed's server asked us to slow down (HTTP {status}). It is tried again at the next poll.",
        >= 500 => $"The feed's server had a problem (HTTP {status}). It is tried again at the next poll.",
        _ => $"The feed's server refused the request (HTTP {status}). Check the address.",
    };

    public static string TooLarge(int maxBytes) =>
        $"The feed is larger than {(maxBytes >= 1024 * 1024 ? $"{maxBytes / 1048576.0:0.#} MB" : $"{maxBytes / 1024} KB")}. "
        + "Use a feed with fewer items, or ask an operator to raise Feeds__MaxBytes.";

    public static string Describe(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case FeedReadException ours: return ours.Message;
                case FeedAddressRefusedException: return PrivateNetwork;
                case TimeoutException: return TooSlow;
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData }: return NoSuchHost;
            }
        }
        return error switch
        {
            TaskCanceledException => TooSlow,
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => NoSuchHost,
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => CouldNotConnect,
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => NoSecureConnection,
            HttpRequestException or HttpIOException => NotHttp,
            _ => Unknown,
        };
    }
}
