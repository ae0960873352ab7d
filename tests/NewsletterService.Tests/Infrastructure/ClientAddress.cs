using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace NewsletterService.Tests.Infrastructure;

/// <summary>
/// Browsers at different client addresses: each request carries <c>X-Forwarded-For</c>, as a reverse proxy adds it.
/// The service takes it as the client address only with <see cref="Enabled"/> (ASPNETCORE_FORWARDEDHEADERS_ENABLED).
/// </summary>
public static partial class ClientAddress
{
    public static readonly KeyValuePair<string, string?> Enabled = new("FORWARDEDHEADERS_ENABLED", "true");

    /// <summary>
    /// A browser (its own cookie jar unless given one) whose requests come through a proxy from <paramref name="address"/>.
    /// </summary>
    public static HttpClient BrowserAt(this NewsletterApp app, string address, CookieContainer? jar = null) =>
        app.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(jar ?? new CookieContainer()),
            new ForwardedFor(address));

    /// <summary>The alert a dashboard page shows (the login page's error), or null.</summary>
    public static async Task<string?> AlertAsync(this HttpResponseMessage response) =>
        Alert().Match(await response.Content.ReadAsStringAsync()) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("role=\"alert\">([^<]*)<")]
    private static partial Regex Alert();

    private sealed class ForwardedFor(string address) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            request.Headers.Add("X-Forwarded-For", address);
            return base.SendAsync(request, ct);
        }
    }
}
