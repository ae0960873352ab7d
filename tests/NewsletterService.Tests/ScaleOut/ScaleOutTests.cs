using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.ScaleOut;

/// <summary>
/// Several real processes over one PostgreSQL database: a web-only process takes the API calls, worker-only processes
/// share the batches. Each worker sends to its own SMTP capture, so the test can see who sent what.
/// </summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    private const int Readers = 20_000;
    private const int Connections = 4;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "newsletter-tests", Guid.NewGuid().ToString("N"));
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _database = await TestDatabase.CreateAsync(Database.Postgres, _folder);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private Dictionary<string, string> Settings(bool web, bool worker, string claimFor = "00:00:30") => new()
    {
        ["Storage__Provider"] = "Postgres",
        ["ConnectionStrings__Newsletter"] = _database.ConnectionString,
        ["Roles__Web"] = web.ToString(),
        ["Roles__Worker"] = worker.ToString(),
        ["Smtp__MaxConnections"] = Connections.ToString(),
        ["Delivery__ClaimDuration"] = claimFor,
        ["Delivery__WatchdogInterval"] = "00:00:01",
    };

    private async Task<long> StartCampaignAsync(ServiceProcess web)
    {
        var admin = web.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(Readers));
        return await admin.StartCampaignAsync(article["id"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task OneWebAndTwoWorkerProcesses_ShareACampaign_AndEveryReaderGetsExactlyOneMessage()
    {
        await using var sinkA = await SmtpCapture.StartAsync(keepMessages: false);
        await using var sinkB = await SmtpCapture.StartAsync(keepMessages: false);
        await using var web = await ServiceProcess.StartAsync(_folder, sinkA.Port, Settings(web: true, worker: false));
        await using var workerA = await ServiceProcess.StartAsync(_folder, sinkA.Port, Settings(web: false, worker: true));
        await using var workerB = await ServiceProcess.StartAsync(_folder, sinkB.Port, Settings(web: false, worker: true));

        var id = await StartCampaignAsync(web);
        var campaign = await web.Admin().WaitForCampaignAsync(id, TimeSpan.FromMinutes(10));

        Assert.Equal("sent", campaign["status"]!.GetValue<string>());
        var all = sinkA.Recipients.Concat(sinkB.Recipients).ToList();
        Assert.Equal(Readers, all.Count);
        Assert.Equal(Readers, all.Distinct().Count());
        Assert.True(sinkA.Recipients.Count > Readers / 10 && sinkB.Recipients.Count > Readers / 10,
            $"Both workers should send a share: {sinkA.Recipients.Count} and {sinkB.Recipients.Count}.");
    }

    [SkippableFact]
    public async Task WorkerKilledMidCampaign_TheOtherFinishesIt_NobodyIsLost_DuplicatesAtMostItsMessagesInFlight()
    {
        await using var sinkA = await SmtpCapture.StartAsync(keepMessages: false);
        await using var sinkB = await SmtpCapture.StartAsync(keepMessages: false);
        await using var web = await ServiceProcess.StartAsync(_folder, sinkA.Port, Settings(web: true, worker: false));
        // Short claims, so that what the killed worker had claimed is handed to the survivor soon.
        await using var doomed = await ServiceProcess.StartAsync(_folder, sinkA.Port,
            Settings(web: false, worker: true, claimFor: "00:00:10"));
        await using var survivor = await ServiceProcess.StartAsync(_folder, sinkB.Port,
            Settings(web: false, worker: true, claimFor: "00:00:10"));

        var id = await StartCampaignAsync(web);
        await sinkA.WaitForAsync(Readers / 8, TimeSpan.FromMinutes(10));
        await doomed.KillAsync();
        var campaign = await web.Admin().WaitForCampaignAsync(id, TimeSpan.FromMinutes(10));

        Assert.Equal("sent", campaign["status"]!.GetValue<string>());
        Assert.Equal(Readers, campaign["sent"]!.GetValue<int>());
        var perReader = sinkA.Recipients.Concat(sinkB.Recipients).GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Readers, perReader.Count);
        var duplicates = perReader.Values.Sum(n => n - 1);
        Assert.True(duplicates <= Connections, $"{duplicates} duplicates; the killed worker had at most {Connections} messages in flight.");
        Assert.True(sinkB.Recipients.Count > 0, "The surviving worker sent nothing.");
    }
}
