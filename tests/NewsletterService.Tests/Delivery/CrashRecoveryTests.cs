using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Delivery;

public sealed class CrashRecoveryTests
{
    private const int Connections = 4;

    [Fact]
    public async Task KilledMidCampaign_TheRestartedServiceFinishesIt_EveryoneGetsIt_DuplicatesAtMostTheMessagesInFlight()
    {
        const int readers = 20_000;
        await using var smtp = await SmtpCapture.StartAsync(keepMessages: false);
        var data = Path.Combine(Path.GetTempPath(), "newsletter-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var settings = new Dictionary<string, string>
        {
            ["Smtp__MaxConnections"] = Connections.ToString(),
            ["Delivery__ClaimDuration"] = "00:00:05",
            ["Delivery__WatchdogInterval"] = "00:00:01",
        };
        try
        {
            long id;
            await using (var first = await ServiceProcess.StartAsync(data, smtp.Port, settings))
            {
                var admin = first.Admin();
                var article = await admin.ImportArticleAsync(SampleTexts.Article);
                await admin.ImportSubscribersAsync(Api.Csv(readers));
                id = await admin.StartCampaignAsync(article["id"]!.GetValue<long>());
                try { await smtp.WaitForAsync(readers / 4, TimeSpan.FromMinutes(10)); }
                catch (TimeoutException e)
                {
                    var state = (await admin.GetCampaignAsync(id)).ToJsonString();
                    throw new TimeoutException($"{e.Message} Campaign: {state}\nService log:\n{first.LogTail}", e);
                }
                await first.KillAsync();
            }
            var atKill = smtp.Recipients.Count;
            Assert.True(atKill < readers, "The campaign finished before the kill; nothing was tested.");

            await using var second = await ServiceProcess.StartAsync(data, smtp.Port, settings);
            var campaign = await second.Admin().WaitForCampaignAsync(id, TimeSpan.FromMinutes(8));

            Assert.Equal("sent", campaign["status"]!.GetValue<string>());
            Assert.Equal(readers, campaign["sent"]!.GetValue<int>());
            var perRecipient = smtp.Recipients.GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(readers, perRecipient.Count);
            var duplicates = perRecipient.Values.Sum(n => n - 1);
            Assert.True(duplicates <= Connections,
                $"{duplicates} duplicates; at most {Connections} messages were in flight at the kill (of {atKill} delivered by then).");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }
}
