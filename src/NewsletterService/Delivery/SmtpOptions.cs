using System.ComponentModel.DataAnnotations;

namespace NewsletterService.Delivery;

public enum SmtpSecurity { None, StartTls, SslOnConnect, Auto }

/// <summary>Section <c>Smtp</c>: the server every mail is handed to.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    [Required]
    public string Host { get; set; } = "localhost";

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    public string? Username { get; set; }
    public string? Password { get; set; }
    public SmtpSecurity SecureSocket { get; set; } = SmtpSecurity.Auto;

    /// <summary>Connections this process keeps open to the server at most.</summary>
    [Range(1, 64)]
    public int MaxConnections { get; set; } = 4;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
