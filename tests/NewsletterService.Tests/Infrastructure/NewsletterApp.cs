using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsletterService.Data;

namespace NewsletterService.Tests.Infrastructure;

/// <summary>
/// The real service over HTTP (in-process), on its own SQLite file in a temporary folder, sending to an
/// <see cref="SmtpCapture"/> on loopback. Settings go in as configuration keys, exactly as an operator sets them.
/// </summary>
public sealed class NewsletterApp : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-admin-key-0123456789abcdef0123456789abcdef";
    public const string BaseUrl = "https://news.example.test";

    private readonly Dictionary<string, string?> _settings;

    public SmtpCapture Smtp { get; }
    public string DataFolder { get; }

    private NewsletterApp(SmtpCapture smtp, IDictionary<string, string?>? settings)
    {
        Smtp = smtp;
        DataFolder = Path.Combine(Path.GetTempPath(), "newsletter-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataFolder);
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Newsletter"] = $"Data Source={Path.Combine(DataFolder, "newsletter.db")}",
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = smtp.Port.ToString(),
            ["Smtp:SecureSocket"] = "None",
            ["Newsletter:BaseUrl"] = BaseUrl,
            ["Newsletter:FromAddress"] = "news@example.test",
            ["Newsletter:FromName"] = "Harbour Post",
            ["Admin:ApiKey"] = ApiKey,
            ["DevInbox:Enabled"] = "false",
            ["Jobs:Storage"] = "InMemory",
            ["Delivery:RetryDelay"] = "00:00:01",
            ["Delivery:MaxRetryDelay"] = "00:00:02",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
    }

    /// <param name="late">Settings that need the app's own SMTP capture (its port), applied before the host starts.</param>
    public static async Task<NewsletterApp> StartAsync(IDictionary<string, string?>? settings = null, Func<NewsletterApp, Dictionary<string, string?>>? late = null)
    {
        var app = new NewsletterApp(await SmtpCapture.StartAsync(), settings);
        foreach (var (key, value) in late?.Invoke(app) ?? []) app._settings[key] = value;
        app.Server.ToString(); // build and start the host now
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseContentRoot(AppContext.BaseDirectory);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    /// <summary>An HTTP client that carries the admin API key.</summary>
    public HttpClient Admin()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    /// <summary>An HTTP client without credentials, as a reader's browser or a mail scanner.</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public async Task<T> WithDbAsync<T>(Func<NewsletterDb, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<NewsletterDb>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { }
    }
}
