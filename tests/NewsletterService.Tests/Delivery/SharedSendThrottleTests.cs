using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Delivery;

/// <summary>
/// Several <see cref="SharedSendThrottle"/>s over one database stand for several processes: all they share is the
/// database. A fake clock decides which second (and tenth) it is; only the database work runs in real time.
/// </summary>
public abstract class SharedSendThrottleTests(Database database) : IAsyncLifetime
{
    // 12:00:00.000 UTC: the first tenth of a second.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private NewsletterApp _app = null!;
    private SendRateStore _store = null!;

    public async Task InitializeAsync()
    {
        _app = await NewsletterApp.StartAsync(database);
        _store = new SendRateStore(_app.Services.GetRequiredService<IDbContextFactory<NewsletterDb>>(), _clock);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private SharedSendThrottle Process(SendLimit limit) => new(limit, _store, _clock, NullLogger.Instance);

    private static List<Task> Wait(SharedSendThrottle throttle, int count, CancellationToken ct = default) =>
        Enumerable.Range(0, count).Select(_ => throttle.WaitAsync(ct).AsTask()).ToList();

    /// <summary>Waits until exactly <paramref name="expected"/> of the waits are through, and checks that no more follow.</summary>
    private static async Task AssertGrantedAsync(int expected, IEnumerable<Task> waits)
    {
        var all = waits.ToList();
        for (var until = DateTime.UtcNow.AddSeconds(20); all.Count(t => t.IsCompletedSuccessfully) < expected && DateTime.UtcNow < until;)
            await Task.Delay(20);
        await Task.Delay(300);
        Assert.Equal(expected, all.Count(t => t.IsCompletedSuccessfully));
    }

    [SkippableFact]
    public async Task FourProcesses_TogetherGetATenthOfTheRatePerTenthOfASecond_AndNoMoreThanTheRateInAnySecond()
    {
        var limit = new SendLimit("server:smtp.example.test:25", 40, 0, TimeSpan.Zero);
        var waits = Enumerable.Range(0, 4).SelectMany(_ => Wait(Process(limit), 100)).ToList(); // each more than it can get

        await AssertGrantedAsync(4, waits); // 12:00:00.0: a tenth of 40
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        await AssertGrantedAsync(8, waits); // .5: 4 more, nothing saved up from the tenths nobody asked in
        for (var tenth = 1; tenth <= 10; tenth++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100));
            await AssertGrantedAsync(8 + 4 * tenth, waits);
        }
    }

    [SkippableFact]
    public async Task ARateThatIsUsedUp_ReopensWhenItsOldestTenthHasLeftTheSecond()
    {
        var limit = new SendLimit("server:smtp.example.test:25", 5, 0, TimeSpan.Zero); // 1 per tenth, 5 per second
        var waits = Wait(Process(limit), 20).Concat(Wait(Process(limit), 20)).ToList();

        for (var i = 0; i < 9; i++)
        {
            await AssertGrantedAsync(Math.Min(5, i + 1), waits);
            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }
        await AssertGrantedAsync(5, waits);  // .9: still the 5 of .0 to .4
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        await AssertGrantedAsync(6, waits);  // 1.0: .0 has left
    }

    [SkippableFact]
    public async Task TwoProcesses_TogetherKeepTheSlidingWindow_WhichReopensWhenItsOldestSecondIsOut()
    {
        var limit = new SendLimit(SendThrottles.OverallScope, 0, 10, TimeSpan.FromSeconds(3));
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        var waits = Wait(Process(limit), 15).Concat(Wait(Process(limit), 15)).ToList();

        await AssertGrantedAsync(10, waits);
        _clock.Advance(TimeSpan.FromSeconds(3)); // 3.5 s later a newcomer gets nothing: whole seconds, so the first still counts
        waits.AddRange(Wait(Process(limit), 1));
        await AssertGrantedAsync(10, waits);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await AssertGrantedAsync(20, waits);
    }

    [SkippableFact]
    public async Task PermitsAProcessDidNotUse_AreGivenBack_WithItsNextReservation()
    {
        var limit = new SendLimit(SendThrottles.OverallScope, 0, 30, TimeSpan.FromSeconds(10)); // reservations of up to 3
        var a = Process(limit);
        var b = Process(limit);
        await a.WaitAsync(CancellationToken.None); // reserves 1, uses it
        await a.WaitAsync(CancellationToken.None); // reserves 2, uses 1
        _clock.Advance(TimeSpan.FromSeconds(1));
        await a.WaitAsync(CancellationToken.None); // gives 1 back, reserves 1, uses it: 3 counted

        await AssertGrantedAsync(27, Wait(b, 28)); // without the 1 back it would be 26
    }

    [SkippableFact]
    public async Task AWaitingCaller_StopsWaitingAsSoonAsItIsCancelled()
    {
        var a = Process(new SendLimit(SendThrottles.OverallScope, 1, 0, TimeSpan.Zero));
        await a.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = a.WaitAsync(cancel.Token).AsTask();
        var queued = a.WaitAsync(cancel.Token).AsTask(); // behind the first, waiting its turn to reserve
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);

        var started = DateTime.UtcNow;
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(1));
    }

    [SkippableFact]
    public async Task OldBuckets_ArePruned()
    {
        var a = Process(new SendLimit(SendThrottles.OverallScope, 5, 5, TimeSpan.FromSeconds(10)));
        for (var i = 0; i < 3; i++)
        {
            await a.WaitAsync(CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(6, await _app.WithDbAsync(db => db.SendRateBuckets.CountAsync())); // three tenths, three seconds

        _clock.Advance(TimeSpan.FromMinutes(2));
        await a.WaitAsync(CancellationToken.None);

        Assert.Equal(2, await _app.WithDbAsync(db => db.SendRateBuckets.CountAsync()));
    }

    [SkippableFact]
    public async Task WithoutLimits_ThereIsNoThrottle_AndACampaignLeavesNoTraceInTheDatabase()
    {
        var throttles = _app.Services.GetRequiredService<SendThrottles>();
        Assert.Null(throttles.Overall());
        Assert.Null(throttles.Create(new SendLimit("server:smtp.example.test:25", 0, 0, TimeSpan.FromHours(1))));

        var admin = _app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(20));
        var campaign = await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article["id"]!.GetValue<long>()));

        Assert.Equal(20, campaign["sent"]!.GetValue<int>());
        Assert.Equal(0, await _app.WithDbAsync(db => db.SendRateBuckets.CountAsync()));
    }
}

public sealed class SharedSendThrottleOnSqlite() : SharedSendThrottleTests(Database.Sqlite);

public sealed class SharedSendThrottleOnPostgres() : SharedSendThrottleTests(Database.Postgres);
