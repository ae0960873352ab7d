using Hangfire.Storage;
using NewsletterService.Delivery;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Delivery;

public sealed class StoredJobsTests
{
    [Fact]
    public async Task ScheduledStartStoredByAnEarlierVersion_StillFindsTheCampaignStarter()
    {
        await using var app = await NewsletterApp.StartAsync();
        // How Hangfire stored a scheduled campaign's start before the starter moved to the sending pipeline.
        var stored = new InvocationData("NewsletterService.Campaigns.CampaignStarter, NewsletterService", "StartAsync",
            """["System.Int64","System.Threading.CancellationToken, System.Private.CoreLib"]""", """["42",null]""");

        var job = stored.DeserializeJob();

        Assert.Equal(typeof(CampaignStarter), job.Type);
        Assert.Equal(nameof(CampaignStarter.StartAsync), job.Method.Name);
        Assert.Equal(42L, job.Args[0]);
    }
}
