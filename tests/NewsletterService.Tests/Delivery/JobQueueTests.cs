using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Delivery;

public sealed class JobQueueTests
{
    [Fact]
    public async Task Campaign_StartsAndSendsAtOnce_ThoughIdleWorkersPollOnlyEveryTenMinutes()
    {
        // Workers look for jobs when they start, then every ten minutes: only the queue waking them when this process
        // enqueues a job (the campaign's start, then its batch) gets the mail out within the test's deadline.
        await using var app = await NewsletterApp.StartAsync(
            settings: new Dictionary<string, string?> { ["Jobs:PollInterval"] = "00:10:00" });
        var admin = app.Admin();
        await admin.ImportSubscribersAsync(Api.Csv(3));
        var article = await admin.ImportArticleAsync(SampleTexts.Article);

        var id = await admin.StartCampaignAsync(article["id"]!.GetValue<long>());

        Assert.Equal("sent", (await admin.WaitForCampaignAsync(id, TimeSpan.FromSeconds(60)))["status"]!.GetValue<string>());
        await app.Smtp.WaitForAsync(3);
    }
}
