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
    public const string PrivateNetwork = "The feed's address is on a private network; feeds must be on the public internet "
        + "(an operator can allow it with Feeds__AllowPrivateNetworks or Feeds__AllowedNetworks).";
    public const string NoSuchHost = "The feed's server name was not found; check the address.";
    public const string CouldNotConnect = "Could not connect to the feed's server; check the address, or try again later.";
    public const string NoSecureConnection = "Could not set up a secure (https) connection with the feed's server.";
    public const string NotHttp = "The feed's server did not give a valid web (HTTP) answer.";
    public const string TooSlow = "The feed's server took too long to answer.";
    public static readonly string Redirects = $"The feed redirected more than {FeedAddressRule.MaxRedirects} times, or from https to http, "
        + "or to an address that is not http(s); use the feed's final address.";
    public const string NotAFeed = "This is not an RSS or Atom feed.";
    public const string Unknown = "The feed could not be read; the service's log has the details.";

    public static string HttpError(int status) => $"The feed's server answered with an error (HTTP {status}).";

    public static string TooLarge(int maxBytes) => $"The feed is larger than {maxBytes} bytes.";

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
