using System.Text;
using MimeKit;

namespace NewsletterService.Tests.Bounces;

/// <summary>
/// Bounce, complaint and reader mails as common servers and clients format them (Bounces/Fixtures, written for the project
/// from RFC 3464, RFC 5965 and RFC 3834 and the layout of public samples). Placeholders: {VERP}, {RECIPIENT}, {SUBJECT},
/// {ID} (a fresh Message-ID each time), {FROM}, {TOKEN}, {ORIGINAL} (the returned original's Message-ID).
/// </summary>
public static class MailFixtures
{
    public const string BounceDomain = "bounce.example.test";

    public static string Verp(long campaign, long delivery) => $"bounces+c{campaign}-d{delivery}@{BounceDomain}";

    public static MimeMessage Load(string name, string? verp = null, string recipient = "reader0@example.test",
        string? token = null, string from = "someone@elsewhere.example", string? original = null)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Bounces", "Fixtures", name + ".eml"))
            .Replace("{ORIGINAL}", original ?? "original-{ID}@example.test")
            .Replace("{VERP}", verp ?? Verp(7, 42)).Replace("{RECIPIENT}", recipient).Replace("{SUBJECT}", "Harbour news")
            .Replace("{ID}", Guid.NewGuid().ToString("N")).Replace("{FROM}", from).Replace("{TOKEN}", token ?? "");
        return MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)));
    }
}
