using System.Net;
using System.Text;
using NewsletterService.Subscriptions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Subscriptions;

public abstract class SubscriberImportTests(Database database) : IAsyncLifetime
{
    private NewsletterApp _app = null!;

    public async Task InitializeAsync() => _app = await NewsletterApp.StartAsync(database);
    public async Task DisposeAsync() => await _app.DisposeAsync();

    [SkippableFact]
    public async Task Import_ReportsBadRowsByLine_AndStillImportsTheValidOnes()
    {
        const string csv = "email,name,city\nana@example.test,Ana,Oslo\nnot-an-email,Bad,Oslo\n"
            + "bo@example.test,\"Bo, Jr.\",Turku\n,No address,\ncy@example.test,\"Line\nbreak\",Turku\n";

        var report = await _app.Admin().ImportSubscribersAsync(csv);

        Assert.Equal(2, report["imported"]!.GetValue<int>());
        var errors = report["errors"]!.AsArray();
        Assert.Equal([3, 5, 7], errors.Select(e => e!["line"]!.GetValue<int>()));
        Assert.Contains("not-an-email", errors[0]!["error"]!.GetValue<string>());
        var list = await (await _app.Admin().GetAsync("/api/subscribers?status=confirmed")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["bo@example.test", "ana@example.test"], list["items"]!.AsArray().Select(s => s!["email"]!.GetValue<string>()));
        Assert.Equal("Bo, Jr.", list["items"]![0]!["name"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Import_ReportsARowWithMoreValuesThanTheHeaderHasColumns_AndAddsNothingFromIt()
    {
        // An unquoted comma in a name shifts every value after it: "Berg" would otherwise land in "lists".
        const string csv = "email,name,lists\nana@example.test,Ana,\nbo@example.test,Berg, Bo,\ncy@example.test,Cy,,extra\n";

        var report = await _app.Admin().ImportSubscribersAsync(csv);

        Assert.Equal(1, report["imported"]!.GetValue<int>());
        var errors = report["errors"]!.AsArray();
        Assert.Equal([3, 4], errors.Select(e => e!["line"]!.GetValue<int>()));
        Assert.All(errors, e => Assert.Contains("4 values but the header has 3 columns", e!["error"]!.GetValue<string>()));
        Assert.Equal(["ana@example.test"], await _app.WithDbAsync(db => Task.FromResult(db.Subscribers.Select(s => s.Email).ToList())));
    }

    [SkippableFact]
    public async Task Import_SkipsDuplicates_InTheFileAndAlreadyStored_IgnoringCase()
    {
        await _app.Admin().ImportSubscribersAsync("email,name\nana@example.test,Ana\n");

        var report = await _app.Admin()
            .ImportSubscribersAsync("email,name\nANA@Example.TEST,Ana again\nbo@example.test,Bo\nBo@EXAMPLE.test,Bo again\n");

        Assert.Equal(1, report["imported"]!.GetValue<int>());
        Assert.Equal(2, report["skipped"]!.GetValue<int>());
        Assert.Empty(report["errors"]!.AsArray());
    }

    [SkippableFact]
    public async Task Import_AddsEveryRowOfALargeFileOnce_WhenAnAddressRepeatsInALaterBatch()
    {
        var csv = new StringBuilder("email,name,cadence\n");
        for (var i = 0; i < 2500; i++) csv.Append($"reader{i}@example.test,{(i % 2 == 0 ? $"Reader {i}" : "")},{(i % 3 == 0 ? "weekly" : "")}\n");
        csv.Append("READER7@example.test,Seven again,\n"); // the importer writes 1,000 rows at a time: this one meets reader7 stored

        var report = await _app.Admin().ImportSubscribersAsync(csv.ToString());

        Assert.Equal(2500, report["imported"]!.GetValue<int>());
        Assert.Equal(1, report["skipped"]!.GetValue<int>());
        var (count, seven, six) = await _app.WithDbAsync(db => Task.FromResult((
            db.Subscribers.Count(s => s.Status == SubscriberStatus.Confirmed),
            db.Subscribers.Single(s => s.EmailKey == "reader7@example.test"),
            db.Subscribers.Single(s => s.EmailKey == "reader6@example.test"))));
        Assert.Equal(2500, count);
        Assert.Null(seven.Name); // the stored row is left as it was
        Assert.Equal(("Reader 6", Cadence.Weekly), (six.Name, six.Cadence));
        Assert.NotNull(six.ConfirmedAt);
    }

    [SkippableFact]
    public async Task Import_NormalisesAddresses_TrimmingAndLowerCasingTheDomain_AndAcceptsIdnDomains()
    {
        var report = await _app.Admin().ImportSubscribersAsync("email,name\n  Ana.Berg@Example.TEST  ,Ana\nlea@bücher.example,Lea\n");

        Assert.Equal(2, report["imported"]!.GetValue<int>());
        var list = await (await _app.Admin().GetAsync("/api/subscribers")).ReadJsonAsync(HttpStatusCode.OK);
        var emails = list["items"]!.AsArray().Select(s => s!["email"]!.GetValue<string>()).ToList();
        Assert.Contains("Ana.Berg@example.test", emails);
        Assert.Contains("lea@bücher.example", emails);
    }

    [SkippableFact]
    public async Task Import_AnswersProblemNamingEmail_WhenTheHeaderHasNoEmailColumn()
    {
        var response = await _app.Admin()
            .PostAsync("/api/subscribers/import", new StringContent("address,name\nana@example.test,Ana\n", Encoding.UTF8, "text/csv"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "email");
        Assert.Equal(0, await _app.WithDbAsync(db => Task.FromResult(db.Subscribers.Count())));
    }

    [SkippableFact]
    public async Task List_AnswersProblemNamingStatus_ForAnUnknownStatus()
    {
        await (await _app.Admin().GetAsync("/api/subscribers?status=happy")).AssertProblemAsync(HttpStatusCode.BadRequest, "status");
    }
}

public sealed class SubscriberImportOnSqlite() : SubscriberImportTests(Database.Sqlite);

public sealed class SubscriberImportOnPostgres() : SubscriberImportTests(Database.Postgres);
