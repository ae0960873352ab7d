using NewsletterService.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NewsletterService.Tests.ScaleOut;

/// <summary>
/// Two real service processes over one database (a web-and-worker and a worker) send one campaign: the sending limits
/// hold for both together, not for each. Batches are small and each process runs few jobs at once, so both get a share.
/// </summary>
public abstract class GlobalSendLimitsTests(Database database, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "newsletter-tests", Guid.NewGuid().ToString("N"));
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _database = await TestDatabase.CreateAsync(database, _folder);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private Dictionary<string, string> Settings(bool web, Dictionary<string, string> limits, Dictionary<string, string>? own)
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage__Provider"] = database.ToString(),
            ["ConnectionStrings__Newsletter"] = _database.ConnectionString,
            ["Roles__Web"] = web.ToString(),
            ["Roles__Worker"] = "true",
            ["Jobs__WorkerCount"] = "2",
            ["Delivery__BatchSize"] = "10",
            // Hangfire.Storage.SQLite can hand one job to both processes; the run it aborts leaves its rows claimed, and
            // short claims let the watchdog hand them on within seconds.
            ["Delivery__ClaimDuration"] = "00:00:03",
            ["Delivery__WatchdogInterval"] = "00:00:01",
        };
        foreach (var (key, value) in limits.Concat(own ?? new())) settings[key] = value;
        return settings;
    }

    /// <summary>The first process migrates the database and takes the API calls; then the second joins.</summary>
    private async Task<(ServiceProcess Web, ServiceProcess Worker)> StartAsync(int portA, int portB, Dictionary<string, string> limits,
        Dictionary<string, string>? onlyA = null, Dictionary<string, string>? onlyB = null)
    {
        var web = await ServiceProcess.StartAsync(_folder, portA, Settings(web: true, limits, onlyA));
        try
        {
            return (web, await ServiceProcess.StartAsync(_folder, portB, Settings(web: false, limits, onlyB)));
        }
        catch
        {
            await web.DisposeAsync();
            throw;
        }
    }

    private static async Task SendAsync(ServiceProcess web, int readers)
    {
        var admin = web.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(readers));
        var campaign = await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article["id"]!.GetValue<long>()),
            TimeSpan.FromMinutes(2));
        Assert.Equal("sent", campaign["status"]!.GetValue<string>());
        Assert.Equal(readers, campaign["sent"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task TwoProcesses_SendingToOneServer_TogetherKeepItsMessagesPerSecond_AndBothSendAShare()
    {
        const int readers = 240, perSecond = 40;
        await using var smtp = await SmtpCapture.StartAsync();
        // Each process puts its own bounce domain in the envelope sender, so the capture can tell who sent what.
        var (a, b) = await StartAsync(smtp.Port, smtp.Port, new() { ["Smtp__MessagesPerSecond"] = perSecond.ToString() },
            onlyA: new() { ["Newsletter__BounceDomain"] = "a.example.test" },
            onlyB: new() { ["Newsletter__BounceDomain"] = "b.example.test" });
        await using (a)
        await using (b)
            await SendAsync(a, readers);

        var arrivals = smtp.Arrivals.Order().ToList();
        var elapsed = (arrivals[^1] - arrivals[0]).TotalSeconds;
        var perWholeSecond = arrivals.GroupBy(t => t.Ticks / TimeSpan.TicksPerSecond).Select(g => g.Count()).ToList();
        var byProcess = smtp.Messages.GroupBy(m => m.Headers[SmtpCapture.EnvelopeHeader]!.Split('@')[1])
            .ToDictionary(g => g.Key, g => g.Count());
        var seen = $"{elapsed:F2} s; per second: {string.Join(", ", perWholeSecond)}; "
            + $"by process: {string.Join(", ", byProcess.Select(p => $"{p.Key} {p.Value}"))}";
        output.WriteLine(seen);

        Assert.Equal(readers, smtp.Recipients.Distinct().Count());
        Assert.True(elapsed >= (double)readers / perSecond - 1.5, $"Each process sent at the full rate: {seen}");
        Assert.True(elapsed <= 2.0 * readers / perSecond, $"Permits went unused: {seen}");
        // The permits keep the rate; each message arrives a little after its permit (longer on a loaded machine), hence
        // the tolerance. Each process on its own would send twice the rate.
        Assert.True(perWholeSecond.Max() <= perSecond * 1.2, $"More than the rate in a second: {seen}");
        Assert.True(byProcess.GetValueOrDefault("a.example.test") >= readers / 10
            && byProcess.GetValueOrDefault("b.example.test") >= readers / 10,
            $"Both processes should send a share: {seen}");
    }

    [SkippableFact]
    public async Task TwoProcesses_TogetherKeepTheSlidingWindow()
    {
        const int readers = 60, windowMessages = 30;
        var window = TimeSpan.FromSeconds(3);
        await using var smtpA = await SmtpCapture.StartAsync(keepMessages: false);
        await using var smtpB = await SmtpCapture.StartAsync(keepMessages: false);
        var (a, b) = await StartAsync(smtpA.Port, smtpB.Port, new()
        {
            ["Smtp__WindowMessages"] = windowMessages.ToString(), ["Smtp__WindowDuration"] = window.ToString(),
        });
        await using (a)
        await using (b)
            await SendAsync(a, readers);

        var arrivals = smtpA.Arrivals.Concat(smtpB.Arrivals).Order().ToList();
        var elapsed = arrivals[^1] - arrivals[0];
        var mostInAWindow = arrivals.Select(t => arrivals.Count(u => u >= t && u < t + window)).Max();
        var seen = $"{elapsed.TotalSeconds:F2} s; at most {mostInAWindow} within {window.TotalSeconds} s; "
            + $"by process: {smtpA.Recipients.Count}, {smtpB.Recipients.Count}";
        output.WriteLine(seen);

        Assert.Equal(readers, smtpA.Recipients.Concat(smtpB.Recipients).Distinct().Count());
        Assert.True(elapsed >= (readers / windowMessages - 1) * window, $"Faster than the window allows: {seen}");
        // As for the rate: the permits keep the window, the arrivals come a little later, hence the tolerance.
        Assert.True(mostInAWindow <= windowMessages * 1.2, $"More than {windowMessages} within {window.TotalSeconds} s: {seen}");
        Assert.True(smtpA.Recipients.Count > 0 && smtpB.Recipients.Count > 0, $"Both processes should send: {seen}");
    }
}

public sealed class GlobalSendLimitsOnSqlite(ITestOutputHelper output) : GlobalSendLimitsTests(Database.Sqlite, output);

public sealed class GlobalSendLimitsOnPostgres(ITestOutputHelper output) : GlobalSendLimitsTests(Database.Postgres, output);
