using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsletterService.Data;

namespace NewsletterService.Tests.Infrastructure;

/// <summary>
/// The real service over HTTP (in-process), on its own fresh SQLite file or PostgreSQL database, with Hangfire on
/// the same storage as in production, sending to an <see cref="SmtpCapture"/> on loopback. Settings go in as configuration
/// keys, exactly as an operator sets them.
/// </summary>
public sealed class NewsletterApp : WebApplicationFactory<Program>
{
    /// <summary>
    /// The suite runs many hosts at once; each would watch appsettings.json for changes with an inotify instance of its own,
    /// and Linux allows a user 128 of those (fs.inotify.max_user_instances). Tests never change the file, so no host watches it.
    /// </summary>
    public const string NoConfigWatching = "DOTNET_hostBuilder__reloadConfigOnChange";

    /// <summary>
    /// The template engine watches the templates folder (a PhysicalFileProvider) for edits, also with inotify: tests never edit
    /// templates while a host runs, so each host polls instead and the user's inotify instances last for the whole suite.
    /// </summary>
    public const string PollingFileWatcher = "DOTNET_USE_POLLING_FILE_WATCHER";

    static NewsletterApp()
    {
        Environment.SetEnvironmentVariable(NoConfigWatching, "false");
        Environment.SetEnvironmentVariable(PollingFileWatcher, "true");
    }

    public const string ApiKey = "test-admin-key-0123456789abcdef0123456789abcdef";
    public const string BaseUrl = "https://news.example.test";
    public const string AdminEmail = "editor@example.test";
    public const string AdminPassword = "correct horse battery staple";

    private readonly Dictionary<string, string?> _settings;

    public SmtpCapture Smtp { get; }

    /// <summary>Warnings and errors the service logged.</summary>
    public CollectingLoggerProvider Log { get; } = new();

    /// <summary>Every request the service received, as "METHOD /path", in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();
    public string DataFolder { get; }

    private readonly TestDatabase _database;
    private bool _ownsDatabase = true;

    private NewsletterApp(SmtpCapture smtp, TestDatabase database, string folder, IDictionary<string, string?>? settings)
    {
        Smtp = smtp;
        DataFolder = folder;
        _database = database;
        _settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = smtp.Port.ToString(),
            ["Smtp:SecureSocket"] = "None",
            ["Newsletter:BaseUrl"] = BaseUrl,
            ["Newsletter:FromAddress"] = "news@example.test",
            ["Newsletter:FromName"] = "Harbour Post",
            ["Admin:ApiKey"] = ApiKey,
            ["Admin:Email"] = AdminEmail,
            ["Admin:Password"] = AdminPassword,
            ["DevInbox:Enabled"] = "false",
            ["Templates:CompileAtStart"] = "false", // the few tests that render compile on first use
            ["Delivery:RetryDelay"] = "00:00:01",
            ["Delivery:MaxRetryDelay"] = "00:00:02",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
    }

    /// <param name="late">Settings that need the app's own SMTP capture (its port), applied before the host starts.</param>
    public static async Task<NewsletterApp> StartAsync(
        Database database = Database.Sqlite, IDictionary<string, string?>? settings = null,
        Func<NewsletterApp, Dictionary<string, string?>>? late = null,
        TimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        var app = await CreateAsync(database, settings);
        app._time = time;
        app._services = services;
        foreach (var (key, value) in late?.Invoke(app) ?? []) app._settings[key] = value;
        app.Server.ToString(); // build and start the host now
        return app;
    }

    /// <summary>
    /// A second host on <paramref name="other"/>'s database (and job storage), as another web process of the same
    /// deployment: its own SMTP capture, folder and key caches. The database stays <paramref name="other"/>'s; dispose this one first.
    /// </summary>
    public static async Task<NewsletterApp> StartBesideAsync(NewsletterApp other, IDictionary<string, string?>? settings = null,
        TimeProvider? time = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "newsletter-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var app = new NewsletterApp(await SmtpCapture.StartAsync(), other._database, folder, settings)
        {
            _ownsDatabase = false, _time = time,
        };
        app.Server.ToString(); // build and start the host now
        return app;
    }

    /// <summary>The same service on Kestrel at a free loopback port, for a real browser; <see cref="Address"/> is where.</summary>
    public static async Task<NewsletterApp> StartOnKestrelAsync(IDictionary<string, string?>? settings = null)
    {
        var app = await CreateAsync(Database.Sqlite, settings);
        var port = SmtpCapture.FreePort();
        app.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        app.StartServer();
        app.Address = new Uri($"http://127.0.0.1:{port}");
        return app;
    }

    /// <summary>Why the service refuses to start with <paramref name="settings"/> (fails when it starts).</summary>
    public static async Task<string> StartupErrorAsync(IDictionary<string, string?> settings)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => { await using var app = await StartAsync(settings: settings); });
        return error.ToString();
    }

    private static async Task<NewsletterApp> CreateAsync(Database database, IDictionary<string, string?>? settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "newsletter-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new NewsletterApp(await SmtpCapture.StartAsync(), await TestDatabase.CreateAsync(database, folder), folder, settings);
    }

    /// <summary>The Kestrel address (<see cref="StartOnKestrelAsync"/> only).</summary>
    public Uri? Address { get; private set; }

    private TimeProvider? _time;
    private Action<IServiceCollection>? _services;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (_time is not null) builder.ConfigureTestServices(services => services.AddSingleton(_time));
        if (_services is not null) builder.ConfigureTestServices(_services); // the edge of the world only (a slow renderer, say)
        builder.UseEnvironment("Testing");
        builder.UseContentRoot(AppContext.BaseDirectory);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new RecordRequests(Requests)));
    }

    private sealed class RecordRequests(ConcurrentQueue<string> requests) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, rest) =>
            {
                requests.Enqueue($"{http.Request.Method} {http.Request.Path}");
                return rest(http);
            });
            next(app);
        };
    }

    /// <summary>An HTTP client that carries the admin API key.</summary>
    public HttpClient Admin()
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    /// <summary>An HTTP client without credentials, as a reader's browser or a mail scanner.</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false, BaseAddress = Address ?? new WebApplicationFactoryClientOptions().BaseAddress,
    });

    public async Task<T> WithDbAsync<T>(Func<NewsletterDb, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<NewsletterDb>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
        if (_ownsDatabase) await _database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { }
    }
}
