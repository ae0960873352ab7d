using System.Net;
using System.Text.RegularExpressions;

namespace NewsletterService.Tests.Infrastructure;

/// <summary>What a browser does on the dashboard's forms, done with an HttpClient that keeps cookies.</summary>
public static partial class DashboardForms
{
    /// <summary>Reads the antiforgery token of the first form on <paramref name="path"/>.</summary>
    public static async Task<string> FormTokenAsync(this HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return Token().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException($"No antiforgery token on {path}.");
    }

    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, IDictionary<string, string> fields,
        string? formPage = null)
    {
        var values = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = await client.FormTokenAsync(formPage ?? path),
        };
        return await client.PostAsync(path, new FormUrlEncodedContent(values));
    }

    public static Task<HttpResponseMessage> LoginAsync(this HttpClient client, string email = NewsletterApp.AdminEmail,
        string password = NewsletterApp.AdminPassword) =>
        client.PostFormAsync("/admin/login", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });

    public static async Task ReadRedirectAsync(this HttpResponseMessage response, string to)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"Expected a redirect to {to}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(to, response.Headers.Location!.OriginalString);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*? value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
