using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Accounts;

/// <summary>The links that mails to accounts carry, read from the mails the SMTP capture received.</summary>
public static partial class MailedLinks
{
    /// <summary>Waits for mail number <paramref name="nth"/> (from 1) to <paramref name="email"/> and returns its link to <paramref name="page"/>.</summary>
    public static async Task<string> LinkAsync(this NewsletterApp app, string email, string page, int nth = 1)
    {
        var until = DateTime.UtcNow.AddSeconds(120); // the first mail of a run compiles its template
        while (app.Smtp.To(email).Count < nth)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"No mail number {nth} to {email}.");
            await Task.Delay(50);
        }
        var text = app.Smtp.To(email)[nth - 1].TextBody ?? "";
        var match = Link().Matches(text).Select(m => new Uri(m.Value)).FirstOrDefault(u => u.AbsolutePath == page);
        Assert.True(match is not null, $"No link to {page} in the mail to {email}:\n{text}");
        Assert.Equal(new Uri(NewsletterApp.BaseUrl).Host, match.Host);
        return match.PathAndQuery;
    }

    /// <summary>Waits until <paramref name="count"/> jobs that run <paramref name="method"/> have succeeded (an absence check's event).</summary>
    public static async Task WaitForSucceededJobsAsync(this NewsletterApp app, string method, int count)
    {
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var until = DateTime.UtcNow.AddSeconds(120); // the first mail of a run compiles its template
        while (monitoring.SucceededJobs(0, 1000).Count(j => j.Value.Job?.Method.Name == method) < count)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Fewer than {count} {method} jobs succeeded.");
            await Task.Delay(50);
        }
    }

    /// <summary>Submits the form a mailed password link opens (its token comes from any form: a spent link shows none).</summary>
    public static Task<HttpResponseMessage> SetPasswordAsync(this HttpClient browser, string link, string password) =>
        browser.PostFormAsync(link, new Dictionary<string, string> { ["NewPassword"] = password, ["Repeated"] = password },
            formPage: "/admin/password/forgot");

    /// <summary>The same link with its token changed in one character, as a guesser or a bad copy would send it.</summary>
    public static string Tampered(string link)
    {
        var at = link.IndexOf("token=", StringComparison.Ordinal) + 10;
        return link[..at] + (link[at] == 'A' ? 'B' : 'A') + link[(at + 1)..];
    }

    [GeneratedRegex(@"https?://[^\s()<>""]+")]
    private static partial Regex Link();
}
