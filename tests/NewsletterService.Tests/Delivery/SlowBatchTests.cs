using Microsoft.Extensions.DependencyInjection;
using NewsletterService.Rendering;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Delivery;

public sealed class SlowBatchTests
{
    [Fact]
    public async Task Batch_KeepsItsClaim_WhileRenderingTakesLongerThanTheClaim_SoNobodyGetsTheCampaignTwice()
    {
        var renderer = new SlowRenderer();
        await using var app = await NewsletterApp.StartAsync(
            settings: new Dictionary<string, string?>
            {
                ["Delivery:ClaimDuration"] = "00:00:03",
                ["Delivery:WatchdogInterval"] = "00:00:00.500",
            },
            services: s => s.AddSingleton<IEmailRenderer>(sp =>
                renderer.Wrapping(ActivatorUtilities.CreateInstance<RazorEmailRenderer>(sp))));
        var admin = app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(200));
        renderer.Delay = TimeSpan.FromSeconds(6); // twice the claim: the watchdog looks at the batch's rows meanwhile

        var id = await admin.StartCampaignAsync(article["id"]!.GetValue<long>());
        var campaign = await admin.WaitForCampaignAsync(id, TimeSpan.FromMinutes(2));

        Assert.Equal("sent", campaign["status"]!.GetValue<string>());
        Assert.Equal(200, campaign["sent"]!.GetValue<int>());
        Assert.Equal(200, app.Smtp.Recipients.Count);
        Assert.Equal(200, app.Smtp.Recipients.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(2, renderer.SlowRenders); // named and anonymous, once: no batch gave up its claim and rendered again
    }

    [Theory]
    [InlineData("00:00:02")] // shorter than three of the watch's one-second ticks: no time left to renew before stopping
    [InlineData("2.00:00:00")]
    public async Task ClaimDurationOutOfRange_StopsTheService_NamingTheKey(string claimFor)
    {
        var error = await NewsletterApp.StartupErrorAsync(new Dictionary<string, string?> { ["Delivery:ClaimDuration"] = claimFor });

        Assert.Contains("ClaimDuration", error);
    }

    /// <summary>The template engine of a machine under heavy load: every render takes <see cref="Delay"/>.</summary>
    private sealed class SlowRenderer : IEmailRenderer
    {
        private IEmailRenderer _inner = null!;

        public TimeSpan Delay { get; set; }

        public int SlowRenders => _slowRenders;

        private int _slowRenders;

        public IEmailRenderer Wrapping(IEmailRenderer inner)
        {
            _inner = inner;
            return this;
        }

        public async Task<string> RenderAsync<TModel>(string template, TModel model, CancellationToken ct = default)
        {
            if (Delay > TimeSpan.Zero) Interlocked.Increment(ref _slowRenders);
            await Task.Delay(Delay, ct);
            return await _inner.RenderAsync(template, model, ct);
        }
    }
}
