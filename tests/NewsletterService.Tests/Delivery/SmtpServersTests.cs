using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Delivery;

public sealed class SmtpServersTests
{
    [Fact]
    public async Task SeveralServers_ShareTheCampaign_EachReaderGetsOneMessage()
    {
        await using var second = await SmtpCapture.StartAsync();
        await using var app = await NewsletterApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Smtp:Servers:0:Host"] = "127.0.0.1", ["Smtp:Servers:0:SecureSocket"] = "None",
            ["Smtp:Servers:1:Host"] = "127.0.0.1", ["Smtp:Servers:1:Port"] = second.Port.ToString(),
            ["Smtp:Servers:1:SecureSocket"] = "None",
            ["Smtp:Servers:1:MaxConnections"] = "2", ["Smtp:Servers:1:MessagesPerSecond"] = "1000",
        }, late: app => new() { ["Smtp:Servers:0:Port"] = app.Smtp.Port.ToString() });

        var campaign = await SendAsync(app, 200);

        Assert.Equal("sent", campaign["status"]!.GetValue<string>());
        Assert.NotEmpty(app.Smtp.Messages);
        Assert.NotEmpty(second.Messages);
        var all = app.Smtp.Messages.Concat(second.Messages).Select(m => m.To.Mailboxes.Single().Address).ToList();
        Assert.Equal(200, all.Count);
        Assert.Equal(200, all.Distinct().Count());
    }

    [Fact]
    public async Task AServerThatIsDown_IsSkipped_AndTheOthersCarryTheMail()
    {
        await using var app = await NewsletterApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Smtp:Servers:0:Host"] = "127.0.0.1",
            ["Smtp:Servers:0:Port"] = "1", // nothing listens on port 1 ["Smtp:Servers:0:SecureSocket"] = "None",
            ["Smtp:Servers:1:Host"] = "127.0.0.1", ["Smtp:Servers:1:SecureSocket"] = "None",
        }, late: app => new() { ["Smtp:Servers:1:Port"] = app.Smtp.Port.ToString() });

        var campaign = await SendAsync(app, 100);

        Assert.Equal("sent", campaign["status"]!.GetValue<string>());
        Assert.Equal(100, campaign["sent"]!.GetValue<int>());
        Assert.Equal(100, app.Smtp.Messages.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> SendAsync(NewsletterApp app, int readers)
    {
        var admin = app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(readers));
        return await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article["id"]!.GetValue<long>()));
    }
}
