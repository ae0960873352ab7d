using System.Diagnostics;
using System.Net.Http.Headers;

namespace NewsletterService.Tests.Infrastructure;

/// <summary>
/// The service as operators run it: <c>dotnet NewsletterService.dll</c> in its own process (the build the test project
/// references), configured by environment variables, on a data folder that outlives the process so it can be killed
/// and started again.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    /// <summary>The last lines the service wrote (standard output and error), to explain a failure.</summary>
    public string LogTail => string.Join("\n", _log.TakeLast(40));

    public string BaseUrl { get; }

    private ServiceProcess(Process process, string baseUrl) { _process = process; BaseUrl = baseUrl; }

    public static async Task<ServiceProcess> StartAsync(string dataFolder, int smtpPort, IDictionary<string, string>? settings = null)
    {
        var baseUrl = $"http://127.0.0.1:{SmtpCapture.FreePort()}";
        var start = new ProcessStartInfo("dotnet", ["NewsletterService.dll", "--urls", baseUrl])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Newsletter"] = $"Data Source={Path.Combine(dataFolder, "newsletter.db")}",
            ["Smtp__Host"] = "127.0.0.1",
            ["Smtp__Port"] = smtpPort.ToString(),
            ["Smtp__SecureSocket"] = "None",
            ["Newsletter__BaseUrl"] = NewsletterApp.BaseUrl,
            ["Newsletter__FromAddress"] = "news@example.test",
            ["Admin__ApiKey"] = NewsletterApp.ApiKey,
            ["Admin__Email"] = NewsletterApp.AdminEmail,
            ["Admin__Password"] = NewsletterApp.AdminPassword,
            ["DevInbox__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            [NewsletterApp.NoConfigWatching] = "false",
            [NewsletterApp.PollingFileWatcher] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) env[key] = value;
        foreach (var (key, value) in env) start.Environment[key] = value;

        var process = Process.Start(start)!;
        var service = new ServiceProcess(process, baseUrl);
        process.OutputDataReceived += (_, e) => service.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => service.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient();
        for (var until = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < until; await Task.Delay(200))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The service exited with {process.ExitCode} at start:\n{service.LogTail}");
            try { if ((await probe.GetAsync(baseUrl + "/healthz")).IsSuccessStatusCode) return service; }
            catch (HttpRequestException) { }
        }
        await service.DisposeAsync();
        throw new TimeoutException("The service did not answer /healthz within 60 s.");
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _log.Enqueue(line);
        while (_log.Count > 200) _log.TryDequeue(out _);
    }

    public HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", NewsletterApp.ApiKey);
        return client;
    }

    /// <summary>As <c>kill -9</c>: no shutdown, no flushing, nothing.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }
}
