using System.Net;
using System.Net.Http.Json;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Delivery;

/// <summary>The plain-text part of a real campaign mail reads like the HTML part: lists keep their bullets and numbers.</summary>
public sealed class TextPartTests : IAsyncLifetime
{
    private NewsletterApp _app = null!;

    public async Task InitializeAsync() => _app = await NewsletterApp.StartAsync();
    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task MarkdownLists_KeepTheirBulletsAndNumbers_InTheSentMailsTextPart()
    {
        await _app.ConfirmedSubscriberAsync("ana@example.test");
        const string body = "The quay reopens on Monday.\n\nWhat changes:\n\n- ferries dock at **pier 2**\n- parking moves north\n\n" +
            "Timetable:\n\n1. first boat at 6:10\n2. last boat at 23:40\n\nAlso:\n\n* the kiosk opens\n\n3. steps start at three\n4. and go on\n";
        var response = await _app.Admin().PostAsJsonAsync("/api/articles", new { title = "Quay reopens", body });
        var id = (await response.ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>();
        await _app.Admin().WaitForCampaignAsync(await _app.Admin().StartCampaignAsync(id));

        var text = (await _app.WaitForMailsToAsync("ana@example.test", 2))[1].TextBody!.ReplaceLineEndings("\n");

        Assert.Contains("• ferries dock at pier 2\n• parking moves north\n", text);
        Assert.Contains("1. first boat at 6:10\n2. last boat at 23:40\n", text);
        Assert.Contains("• the kiosk opens\n", text);
        Assert.Contains("3. steps start at three\n4. and go on\n", text);
        Assert.Contains("The quay reopens on Monday.", text);
    }
}
