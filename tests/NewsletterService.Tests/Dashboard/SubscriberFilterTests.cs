using System.Net;
using System.Text.RegularExpressions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Dashboard;

/// <summary>
/// The subscribers page's filters (list, cadence, with status and
/// search) on every page, in the actions and in the CSV export.
/// </summary>
public abstract partial class SubscriberFilterTests(Database database) : IAsyncLifetime
{
    private NewsletterApp _app = null!;
    private HttpClient _editor = null!;

    public async Task InitializeAsync()
    {
        _app = await NewsletterApp.StartAsync(database);
        var admin = _app.Admin();
        await admin.CreateListAsync("harbour", "Harbour news");
        await admin.CreateListAsync("culture", "Culture");
        var readers = Enumerable.Range(0, 60).Select(i => $"daily{i}@example.test,Daily {i},harbour,daily")
            .Concat(Enumerable.Range(0, 5).Select(i => $"weekly{i}@example.test,Weekly {i},harbour;culture,weekly"))
            .Concat(Enumerable.Range(0, 5).Select(i => $"now{i}@example.test,Now {i},culture,"));
        await admin.ImportSubscribersAsync("email,name,lists,cadence\n" + string.Join("\n", readers) + "\n");
        _editor = _app.Anonymous();
        await (await _editor.LoginAsync()).ReadRedirectAsync("/admin");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static List<string> Emails(string html) => EmailCell().Matches(html).Select(m => m.Groups[1].Value).ToList();

    [SkippableFact]
    public async Task Subscribers_FilteredByListAndCadence_KeepTheFiltersOnEveryPage()
    {
        var first = await _editor.GetStringAsync("/admin/subscribers?list=harbour&cadence=daily");
        var next = WebUtility.HtmlDecode(NextPage().Match(first).Groups[1].Value);
        var second = await _editor.GetStringAsync("/admin/subscribers" + next);

        Assert.Contains("60 subscribers", first);
        Assert.Contains("list=harbour", next);
        Assert.Contains("cadence=daily", next);
        var all = Emails(first).Concat(Emails(second)).ToList();
        Assert.Equal(60, all.Distinct().Count());
        Assert.All(all, e => Assert.StartsWith("daily", e));
    }

    [SkippableFact]
    public async Task Subscribers_CombineListCadenceStatusAndSearch()
    {
        var weeklyCulture = Emails(await _editor.GetStringAsync("/admin/subscribers?list=culture&cadence=weekly&status=confirmed"));
        var immediateCulture = Emails(await _editor.GetStringAsync("/admin/subscribers?list=culture&cadence=immediate&q=now3"));
        var unsubscribed = Emails(await _editor.GetStringAsync("/admin/subscribers?list=harbour&status=unsubscribed"));

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"weekly{i}@example.test").Order(), weeklyCulture.Order());
        Assert.Equal(["now3@example.test"], immediateCulture);
        Assert.Empty(unsubscribed);
    }

    [SkippableFact]
    public async Task Export_HonoursTheFilters_InTheColumnsTheImportReads()
    {
        var csv = await _editor.GetStringAsync("/admin/subscribers/export?list=culture&cadence=weekly");

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("email,name,lists,status,cadence,created_at,confirmed_at", lines[0]);
        Assert.Equal(5, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.Matches("^weekly[0-4]@example.test,Weekly [0-4],culture;harbour,confirmed,weekly,", l));
    }

    [SkippableFact]
    public async Task Export_IsUtf8WithAByteOrderMark_SoExcelKeepsAccents_AndBomFalseLeavesTheMarkOut()
    {
        await _app.Admin().ImportSubscribersAsync("email,name\nasa@example.test,Åsa Öberg-Lindé\n");

        var excel = await _editor.GetByteArrayAsync("/admin/subscribers/export?q=asa%40");
        var plain = await _editor.GetByteArrayAsync("/admin/subscribers/export?q=asa%40&bom=false");

        Assert.Equal([0xEF, 0xBB, 0xBF], excel[..3]);
        Assert.Equal(excel[3..], plain);
        Assert.Contains("asa@example.test,Åsa Öberg-Lindé,", System.Text.Encoding.UTF8.GetString(plain));
        Assert.StartsWith("email,", System.Text.Encoding.UTF8.GetString(plain));
    }

    [SkippableFact]
    public async Task Unsubscribe_ReturnsToTheFilteredList()
    {
        var id = await _app.WithDbAsync(db => Task.FromResult(db.Subscribers.Single(s => s.EmailKey == "weekly2@example.test").Id));

        var response = await _editor.PostFormAsync($"/admin/subscribers?handler=Unsubscribe&id={id}&list=culture&cadence=weekly",
            new Dictionary<string, string>(), formPage: "/admin/subscribers");

        await response.ReadRedirectAsync("/admin/subscribers?list=culture&cadence=weekly");
        Assert.Equal(["weekly2@example.test"], Emails(await _editor.GetStringAsync("/admin/subscribers?list=culture&status=unsubscribed")));
    }

    [GeneratedRegex(@"<tr>\s*<td>([^<]+@example\.test)</td>")]
    private static partial Regex EmailCell();

    [GeneratedRegex("href=\"([^\"]+)\" rel=\"next\"")]
    private static partial Regex NextPage();
}

public sealed class SubscriberFilterOnSqlite() : SubscriberFilterTests(Database.Sqlite);

public sealed class SubscriberFilterOnPostgres() : SubscriberFilterTests(Database.Postgres);
