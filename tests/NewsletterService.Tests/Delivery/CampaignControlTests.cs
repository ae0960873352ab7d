using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsletterService.Delivery;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Delivery;

public sealed class CampaignControlTests
{
    // Slow enough (rate-limited) that pause and cancel land in the middle of the one batch.
    private static readonly Dictionary<string, string?> SlowOneBatch =
        new() { ["Smtp:MessagesPerSecond"] = "100", ["Delivery:BatchSize"] = "5000" };

    [Fact]
    public async Task PauseMidBatch_StopsSendingWithinTwoSeconds_AndResumeSendsTheRestOnce()
    {
        await using var app = await NewsletterApp.StartAsync(settings: SlowOneBatch);
        var (admin, id) = await StartCampaignAsync(app, 600);
        await app.Smtp.WaitForAsync(50);

        var paused = await (await admin.PostAsync($"/api/campaigns/{id}/pause", null)).ReadJsonAsync(System.Net.HttpStatusCode.OK);
        Assert.Equal("paused", paused["status"]!.GetValue<string>());
        await AssertStoppedWithinTwoSecondsAsync(app);
        var campaign = await admin.GetCampaignAsync(id);
        Assert.Equal("paused by an editor", campaign["pausedReason"]!.GetValue<string>());
        Assert.True(campaign["pending"]!.GetValue<int>() > 0);

        await (await admin.PostAsync($"/api/campaigns/{id}/resume", null)).ReadJsonAsync(System.Net.HttpStatusCode.OK);
        campaign = await admin.WaitForCampaignAsync(id);
        Assert.Equal("sent", campaign["status"]!.GetValue<string>());
        Assert.Equal(600, app.Smtp.Messages.Count);
        Assert.All(app.Smtp.Messages.GroupBy(m => m.To.Mailboxes.Single().Address), g => Assert.Single(g));
    }

    [Fact]
    public async Task CancelMidBatch_StopsSendingWithinTwoSeconds_ForGood()
    {
        await using var app = await NewsletterApp.StartAsync(settings: SlowOneBatch);
        var (admin, id) = await StartCampaignAsync(app, 600);
        await app.Smtp.WaitForAsync(50);

        await (await admin.PostAsync($"/api/campaigns/{id}/cancel", null)).ReadJsonAsync(System.Net.HttpStatusCode.OK);
        await AssertStoppedWithinTwoSecondsAsync(app);
        var campaign = await admin.GetCampaignAsync(id);
        Assert.Equal("cancelled", campaign["status"]!.GetValue<string>());
        Assert.True(app.Smtp.Messages.Count < 600);
    }

    [Fact]
    public async Task CancelMidBatch_AccountsForEveryDelivery_AsSentFailedSkippedOrCancelled_NonePendingForEver()
    {
        await using var app = await NewsletterApp.StartAsync(settings: SlowOneBatch);
        var (admin, id) = await StartCampaignAsync(app, 600);
        await app.Smtp.WaitForAsync(50);

        await (await admin.PostAsync($"/api/campaigns/{id}/cancel", null)).ReadJsonAsync(System.Net.HttpStatusCode.OK);
        var campaign = await WaitUntilSettledAsync(admin, id);

        Assert.Equal("cancelled", campaign["status"]!.GetValue<string>());
        int N(string name) => campaign[name]!.GetValue<int>();
        Assert.Equal(600, N("total"));
        Assert.Equal(N("total"), N("sent") + N("failed") + N("skipped") + N("cancelled"));
        Assert.InRange(N("cancelled"), 1, 550);
        Assert.Equal(app.Smtp.Messages.Count, N("sent"));
        Assert.NotNull(campaign["completedAt"]);
        Assert.False(await app.WithDbAsync(db => db.Deliveries.AnyAsync(d => d.CampaignId == id &&
            (d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Sending))));
    }

    [Fact]
    public async Task CancelledCampaign_WhoseBatchDied_HasItsClaimedDeliveriesCancelledOnceTheClaimRunsOut()
    {
        await using var app = await NewsletterApp.StartAsync(settings: new Dictionary<string, string?>(SlowOneBatch)
        {
            ["Delivery:WatchdogInterval"] = "00:00:00.500",
        });
        var (admin, id) = await StartCampaignAsync(app, 300);
        await app.Smtp.WaitForAsync(20);
        await (await admin.PostAsync($"/api/campaigns/{id}/pause", null)).ReadJsonAsync(System.Net.HttpStatusCode.OK);
        await WaitForLedgerAsync(app, id, rows => rows.All(d => d.Status != DeliveryStatus.Sending)); // the batch let go
        // A batch in another process holds ten rows, and dies: its claim runs out in two seconds.
        var until = DateTime.UtcNow.AddSeconds(2);
        await app.WithDbAsync(db => db.Deliveries.Where(d => d.CampaignId == id && d.Status == DeliveryStatus.Pending)
            .OrderBy(d => d.Id).Take(10).ExecuteUpdateAsync(x => x.SetProperty(d => d.Status, DeliveryStatus.Sending).SetProperty(d => d.ClaimToken, "dead")
                .SetProperty(d => d.ClaimedUntil, until)));

        var cancelled = await (await admin.PostAsync($"/api/campaigns/{id}/cancel", null)).ReadJsonAsync(System.Net.HttpStatusCode.OK);
        Assert.Equal(10, cancelled["pending"]!.GetValue<int>()); // still claimed

        var campaign = await WaitUntilSettledAsync(admin, id);
        int N(string name) => campaign[name]!.GetValue<int>();
        Assert.Equal(300, N("sent") + N("failed") + N("skipped") + N("cancelled"));
        Assert.Equal(300 - app.Smtp.Messages.Count, N("cancelled"));
    }

    private static async Task WaitForLedgerAsync(NewsletterApp app, long id, Func<List<DeliveryRecord>, bool> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition(await app.WithDbAsync(db => db.Deliveries.AsNoTracking().Where(d => d.CampaignId == id).ToListAsync())))
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"The ledger of campaign {id} did not reach the expected state.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task FinishedCampaign_TellsWhenItFinished_HowLongItTook_AndItsAverageRate()
    {
        await using var app = await NewsletterApp.StartAsync(settings: SlowOneBatch);
        var (admin, id) = await StartCampaignAsync(app, 150);

        var campaign = await admin.WaitForCampaignAsync(id);

        Assert.Equal("sent", campaign["status"]!.GetValue<string>());
        var started = campaign["startedAt"]!.GetValue<DateTime>();
        var finished = campaign["completedAt"]!.GetValue<DateTime>();
        var seconds = campaign["durationSeconds"]!.GetValue<double>();
        Assert.InRange(finished, started, started.AddMinutes(1));
        Assert.Equal(Math.Round((finished - started).TotalSeconds, 1), seconds);
        Assert.True(seconds > 0, "150 messages at 100 per second take time");
        Assert.Equal(150 / (finished - started).TotalSeconds, campaign["averageRate"]!.GetValue<double>(), 0.05);
        Assert.Equal(0, campaign["cancelled"]!.GetValue<int>());
    }

    /// <summary>Polls a cancelled campaign until nothing is open any more (its batch let go of what it held).</summary>
    private static async Task<System.Text.Json.Nodes.JsonNode> WaitUntilSettledAsync(HttpClient admin, long id)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var campaign = await admin.GetCampaignAsync(id);
            if (campaign["status"]!.GetValue<string>() == "cancelled" && campaign["pending"]!.GetValue<int>() == 0) return campaign;
            if (DateTime.UtcNow > until) throw new TimeoutException($"Campaign {id} still has open deliveries: {campaign.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task ServerDown_CampaignPausesItselfWithTheReason_AndResumeFinishesOnceItIsBack()
    {
        // Bound but not listening: connections are refused, and no other test's server can take the port meanwhile.
        var reserved = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        reserved.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)reserved.LocalEndPoint!).Port;
        await using var app = await NewsletterApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Smtp:Port"] = port.ToString(), ["Delivery:MaxConsecutiveFailures"] = "3", ["Smtp:ServerRetryAfter"] = "00:00:00.200",
        });
        var (admin, id) = await StartCampaignAsync(app, 30);

        var campaign = await admin.WaitForCampaignAsync(id, TimeSpan.FromSeconds(60), "paused");
        Assert.Contains("3 SMTP failures in a row", campaign["pausedReason"]!.GetValue<string>());
        Assert.Equal(0, campaign["sent"]!.GetValue<int>());

        reserved.Dispose();
        await using var server = await SmtpCapture.StartAsync(port);
        await (await admin.PostAsync($"/api/campaigns/{id}/resume", null)).ReadJsonAsync(System.Net.HttpStatusCode.OK);
        campaign = await admin.WaitForCampaignAsync(id);
        Assert.Equal("sent", campaign["status"]!.GetValue<string>());
        Assert.Null(campaign["pausedReason"]);
        Assert.Equal(30, server.Messages.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
    }

    [Fact]
    public async Task BatchRunAbortedByHangfire_HandsWhatItDidNotSendToANewRun_AndEveryReaderGetsOneMessage()
    {
        // What another process finishing the same job looks like to this one: the job's state changes under the
        // running batch, and Hangfire cancels it.
        await using var app = await NewsletterApp.StartAsync(settings: SlowOneBatch);
        var (admin, id) = await StartCampaignAsync(app, 1000);
        await app.Smtp.WaitForAsync(50);
        var storage = app.Services.GetRequiredService<JobStorage>();
        var running = storage.GetMonitoringApi().ProcessingJobs(0, 10).Single(j => j.Value.Job.Type == typeof(CampaignBatchJob));

        app.Services.GetRequiredService<IBackgroundJobClient>().Delete(running.Key);

        var campaign = await admin.WaitForCampaignAsync(id, TimeSpan.FromSeconds(60));
        Assert.Equal("sent", campaign["status"]!.GetValue<string>());
        Assert.Equal(1000, app.Smtp.Messages.Count);
        Assert.All(app.Smtp.Messages.GroupBy(m => m.To.Mailboxes.Single().Address), g => Assert.Single(g));
    }

    private static async Task<(HttpClient Admin, long Id)> StartCampaignAsync(NewsletterApp app, int readers)
    {
        var admin = app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(readers));
        return (admin, await admin.StartCampaignAsync(article["id"]!.GetValue<long>()));
    }

    /// <summary>Two seconds after the request, nothing more arrives.</summary>
    private static async Task AssertStoppedWithinTwoSecondsAsync(NewsletterApp app)
    {
        await Task.Delay(TimeSpan.FromSeconds(2));
        var afterTwoSeconds = app.Smtp.Messages.Count;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(afterTwoSeconds, app.Smtp.Messages.Count);
    }
}
