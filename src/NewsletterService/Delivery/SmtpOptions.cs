using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace NewsletterService.Delivery;

/// <summary>How a connection is secured: MailKit's option of the same name (<see cref="SmtpServerOptions.MailKitSecurity"/>).</summary>
public enum SmtpSecurity
{
    None = (int)SecureSocketOptions.None, StartTls = (int)SecureSocketOptions.StartTls,
    SslOnConnect = (int)SecureSocketOptions.SslOnConnect, Auto = (int)SecureSocketOptions.Auto,
}

/// <summary>One SMTP server: where it is, how to log in, how many connections and messages per second it takes.</summary>
public class SmtpServerOptions
{
    [Required]
    public string Host { get; set; } = "localhost";

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    public string? Username { get; set; }
    public string? Password { get; set; }
    public SmtpSecurity SecureSocket { get; set; } = SmtpSecurity.Auto;

    /// <summary><see cref="SecureSocket"/> as MailKit takes it, for sending and for the connection test alike.</summary>
    public SecureSocketOptions MailKitSecurity() => (SecureSocketOptions)SecureSocket;

    /// <summary>Connections this process keeps open to the server at most.</summary>
    [Range(1, 64)]
    public int MaxConnections { get; set; } = 4;

    /// <summary>Messages per second this server takes from all processes together; 0 = unlimited.</summary>
    [Range(0, 1_000_000)]
    public int MessagesPerSecond { get; set; }
}

/// <summary>
/// Section <c>Smtp</c>: the server every mail is handed to (<c>Smtp:Host</c> ...), or several (<c>Smtp:Servers:0:Host</c> ...)
/// that share the load; and the limits that hold for all sending of all processes together (kept in the database,
/// see <see cref="SendThrottles"/>).
/// </summary>
public sealed class SmtpOptions : SmtpServerOptions
{
    public const string Section = "Smtp";

    /// <summary>When not empty, mail is spread over these servers and the single-server keys (Host, Port, ...) are not used.</summary>
    public List<SmtpServerOptions> Servers { get; set; } = [];

    /// <summary>
    /// At most this many messages per <see cref="WindowDuration"/> (a sliding window, counted in whole seconds); 0 = no window.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int WindowMessages { get; set; }

    public TimeSpan WindowDuration { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a server that failed is left alone before it is tried again.</summary>
    public TimeSpan ServerRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<SmtpServerOptions> EffectiveServers => Servers.Count > 0 ? Servers : [this];

    /// <summary>Connections over all servers: how many messages a batch sends at once.</summary>
    public int TotalConnections => EffectiveServers.Sum(s => s.MaxConnections);

    public bool WindowIsValid() =>
        WindowMessages == 0 || (WindowDuration >= TimeSpan.FromSeconds(1) && WindowDuration <= TimeSpan.FromDays(1));

    public bool ServersAreValid() =>
        Servers.All(s => Validator.TryValidateObject(s, new ValidationContext(s), null, validateAllProperties: true));
}
