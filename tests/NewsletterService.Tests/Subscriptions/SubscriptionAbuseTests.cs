using System.Net;
using NewsletterService.Security;
using NewsletterService.Subscriptions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Subscriptions;

public sealed class SubscriptionAbuseTests
{
    [Fact]
    public async Task Subscribe_AnswersIdentically_WhetherTheAddressIsNewPendingConfirmedOrUnsubscribed()
    {
        await using var app = await NewsletterApp.StartAsync();
        await app.Admin().ImportSubscribersAsync("email\nconfirmed@example.test\nleft@example.test\n");
        var left = (await app.SubscriberAsync("left@example.test")).Id;
        await app.Anonymous().PostAsync($"/unsubscribe/{app.Token(TokenPurpose.Unsubscribe, left)}", null);
        await app.Anonymous().SubscribeAsync("pending@example.test");

        var answers = new List<(HttpStatusCode, string?, string)>();
        foreach (var email in new[] { "new@example.test", "pending@example.test", "Confirmed@Example.test", "left@example.test" })
        {
            var response = await app.Anonymous().SubscribeAsync(email);
            answers.Add((response.StatusCode, response.Content.Headers.ContentType?.ToString(),
                await response.Content.ReadAsStringAsync()));
        }

        Assert.Equal(HttpStatusCode.Accepted, answers[0].Item1);
        Assert.All(answers, a => Assert.Equal(answers[0], a));
    }

    [Theory]
    [InlineData("not an email", null, null, null, "email")]
    [InlineData("ok@example.test", "Line\r\nBcc: victim@example.test", null, null, "name")]
    [InlineData("ok@example.test", "A name far too long for anyone: 0123456789012345678901234567890123456789012345678901234567890123456789",
        null, null, "name")]
    [InlineData("ok@example.test", null, "hourly", null, "cadence")]
    [InlineData("ok@example.test", null, null, "no-such-list", "lists")]
    public async Task Subscribe_Answers400NamingTheField_WhenInputIsInvalid(string email, string? name, string? cadence, string? list,
        string field)
    {
        await using var app = await NewsletterApp.StartAsync();

        var response = await app.Anonymous().SubscribeAsync(email, name, list is null ? null : [list], cadence);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Null(await app.FindSubscriberAsync("ok@example.test"));
    }

    [Fact]
    public async Task Confirm_RejectsAnExpiredToken_AndLeavesTheSubscriberPending()
    {
        await using var app = await NewsletterApp.StartAsync();
        await app.Anonymous().SubscribeAsync("late@example.test");
        var id = (await app.SubscriberAsync("late@example.test")).Id;
        var expired = app.Token(TokenPurpose.Confirm, id, TimeSpan.FromDays(7), madeAt: DateTimeOffset.UtcNow.AddDays(-8));

        var response = await app.Anonymous().GetAsync($"/confirm/{expired}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(SubscriberStatus.Pending, (await app.SubscriberAsync("late@example.test")).Status);
    }

    [Fact]
    public async Task Confirm_RejectsATamperedToken_AndLeavesTheSubscriberPending()
    {
        await using var app = await NewsletterApp.StartAsync();
        await app.Anonymous().SubscribeAsync("tamper@example.test");
        var path = SubscriptionSteps.ConfirmPath((await app.WaitForMailsToAsync("tamper@example.test", 1))[0]);
        var at = path.Length - 10;
        var tampered = path[..at] + (path[at] == 'A' ? 'B' : 'A') + path[(at + 1)..];

        var response = await app.Anonymous().GetAsync(tampered);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(SubscriberStatus.Pending, (await app.SubscriberAsync("tamper@example.test")).Status);
    }

    [Fact]
    public async Task Confirm_RejectsATokenMadeForAnotherPurpose()
    {
        await using var app = await NewsletterApp.StartAsync();
        await app.Anonymous().SubscribeAsync("purpose@example.test");
        var id = (await app.SubscriberAsync("purpose@example.test")).Id;

        var response = await app.Anonymous().GetAsync($"/confirm/{app.Token(TokenPurpose.Unsubscribe, id)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(SubscriberStatus.Pending, (await app.SubscriberAsync("purpose@example.test")).Status);
    }

    [Fact]
    public async Task Unsubscribe_RejectsAConfirmToken_AndLeavesTheSubscriberConfirmed()
    {
        await using var app = await NewsletterApp.StartAsync();
        await app.Admin().ImportSubscribersAsync("email\nstays@example.test\n");
        var id = (await app.SubscriberAsync("stays@example.test")).Id;

        var response = await app.Anonymous().PostAsync($"/unsubscribe/{app.Token(TokenPurpose.Confirm, id, TimeSpan.FromDays(7))}",
            new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(SubscriberStatus.Confirmed, (await app.SubscriberAsync("stays@example.test")).Status);
    }

    [Fact]
    public async Task Subscribe_Answers429_WhenOneClientPostsTooOften()
    {
        await using var app = await NewsletterApp.StartAsync(
            settings: new Dictionary<string, string?> { ["Subscriptions:SubscribePerMinute"] = "3" });
        var client = app.Anonymous();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Accepted, (await client.SubscribeAsync($"r{i}@example.test")).StatusCode);

        var response = await client.SubscribeAsync("r3@example.test");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter is not null);
        Assert.Null(await app.FindSubscriberAsync("r3@example.test"));
    }

    [Fact]
    public async Task SubscribeForm_WorksWithoutJavaScript_AndAnswers202LikeTheApi()
    {
        await using var app = await NewsletterApp.StartAsync();
        var browser = app.Anonymous();
        var token = await browser.FormTokenAsync("/subscribe");

        var response = await browser.PostAsync("/subscribe", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("email", "form@example.test"), new("name", "Form Reader"),
            new("cadence", "immediate")]));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("Check your inbox", await response.Content.ReadAsStringAsync());
        Assert.Equal("Form Reader", (await app.SubscriberAsync("form@example.test")).Name);
        await app.WaitForMailsToAsync("form@example.test", 1);
    }

    [Fact]
    public async Task SubscribeForm_RejectsAPostWithoutAntiforgeryToken()
    {
        await using var app = await NewsletterApp.StartAsync();

        var response = await app.Anonymous().PostAsync("/subscribe", new FormUrlEncodedContent([new("email", "forged@example.test")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await app.FindSubscriberAsync("forged@example.test"));
    }

    [Fact]
    public async Task Subscribe_Answers413AndStoresNothing_WhenTheJsonBodyIsLargerThanMaxBodyBytes()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync(
            new Dictionary<string, string?> { ["Subscriptions:MaxBodyBytes"] = "2048" });
        static StringContent Json(string email, int bytes)
        {
            var json = $"{{\"email\":\"{email}\"}}";
            return new StringContent(json.Insert(1, new string(' ', bytes - json.Length)), System.Text.Encoding.UTF8, "application/json");
        }

        var fits = await app.Anonymous().PostAsync("/api/subscriptions", Json("fits@example.test", 2048));
        var tooLarge = await app.Anonymous().PostAsync("/api/subscriptions", Json("large@example.test", 2049));

        Assert.Equal(HttpStatusCode.Accepted, fits.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Null(await app.FindSubscriberAsync("large@example.test"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SubscribeForm_Answers413AndStoresNothing_WhenTheBodyIsLargerThanMaxBodyBytes(bool streamed)
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync(
            new Dictionary<string, string?> { ["Subscriptions:MaxBodyBytes"] = "2048" });
        var browser = app.Anonymous();
        var token = await browser.FormTokenAsync("/subscribe");
        async Task<HttpResponseMessage> PostAsync(string email, int bytes)
        {
            var fields = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", token), new("email", email),
                new("padding", "") };
            var form = await new FormUrlEncodedContent(fields).ReadAsByteArrayAsync();
            fields[^1] = new("padding", new string('a', bytes - form.Length));
            HttpContent content = new FormUrlEncodedContent(fields);
            if (streamed) // no Content-Length: the limit has to hold while reading
            {
                content = new StreamContent(new MemoryStream(await content.ReadAsByteArrayAsync()));
                content.Headers.ContentType = new("application/x-www-form-urlencoded");
            }
            return await browser.PostAsync("/subscribe", content);
        }

        var fits = await PostAsync("fits@example.test", 2048);
        var tooLarge = await PostAsync("large@example.test", 2049);

        Assert.Equal(HttpStatusCode.Accepted, fits.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Null(await app.FindSubscriberAsync("large@example.test"));
    }
}
