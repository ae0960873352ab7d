using System.ComponentModel.DataAnnotations;
using Cronos;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using NewsletterService.Feeds;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Feeds;

/// <summary><c>Feeds:PollMinutes</c> is honest: the poll runs exactly that often, or the service refuses the value at start-up.</summary>
public sealed class FeedPollScheduleTests
{
    [Fact]
    public void EveryPollMinutesFrom1To1440_IsEitherPolledAtExactlyThatInterval_OrRefusedNamingTheKey()
    {
        var accepted = new List<int>();
        for (var minutes = 1; minutes <= 1440; minutes++)
        {
            var options = new FeedOptions { PollMinutes = minutes };
            var errors = new List<ValidationResult>();
            if (!Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true))
            {
                Assert.Contains($"Feeds:PollMinutes {minutes} ", Assert.Single(errors).ErrorMessage);
                continue;
            }
            accepted.Add(minutes);
            var from = new DateTime(2026, 11, 2, 7, 13, 0, DateTimeKind.Utc); // not on any boundary
            var runs = CronExpression.Parse(options.Cron!).GetOccurrences(from, from.AddDays(3)).ToList();
            Assert.InRange(runs[0] - from, TimeSpan.Zero, TimeSpan.FromMinutes(minutes));
            Assert.All(runs.Zip(runs.Skip(1), (a, b) => b - a), gap => Assert.Equal(TimeSpan.FromMinutes(minutes), gap));
        }
        Assert.Equal([1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440], accepted);
    }

    [Theory]
    [InlineData(45)]
    [InlineData(90)]
    [InlineData(0)]
    [InlineData(1441)]
    public async Task Service_RefusesToStart_WithAPollIntervalNoScheduleCanKeep(int minutes)
    {
        var error = await NewsletterApp.StartupErrorAsync(new Dictionary<string, string?> { ["Feeds:PollMinutes"] = minutes.ToString() });
        Assert.Contains($"Feeds:PollMinutes {minutes} cannot be repeated evenly", error);
    }

    [Theory]
    [InlineData(20, "2026-11-02T07:20:00Z")]
    [InlineData(1440, "2026-11-03T00:00:00Z")]
    public async Task Hangfire_SchedulesThePollEveryPollMinutes(int minutes, string nextAfterSevenTen)
    {
        await using var app = await NewsletterApp.StartAsync(
            settings: new Dictionary<string, string?> { ["Feeds:PollMinutes"] = minutes.ToString() });
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetRecurringJobs([FeedPoller.RecurringJobId]).Single();

        Assert.Null(job.Error);
        var next = CronExpression.Parse(job.Cron).GetNextOccurrence(new DateTime(2026, 11, 2, 7, 10, 0, DateTimeKind.Utc));
        Assert.Equal(DateTime.Parse(nextAfterSevenTen).ToUniversalTime(), next);
        Assert.NotNull(job.NextExecution);
    }
}
