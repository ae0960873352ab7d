using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using NewsletterService.Digests;
using NewsletterService.Subscriptions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Digests;

/// <summary>
/// Digest cron expressions are read by Cronos at start-up, as Hangfire
/// reads them, and a bad one stops the service naming its key.
/// </summary>
public sealed class DigestScheduleTests
{
    [Theory]
    [InlineData("0 25 * * *")] // hour 25
    [InlineData("61 7 * * *")]
    [InlineData("0 7 * * 8")]
    [InlineData("0 7 31 2 L")]
    [InlineData("0 7 * *")]
    [InlineData("0 0 7 * * * *")]
    [InlineData("daily")]
    [InlineData("")]
    public async Task Service_RefusesToStart_WithADigestCronCronosCannotRead(string cron)
    {
        var error = await NewsletterApp.StartupErrorAsync(new Dictionary<string, string?> { ["Digests:Weekly:Cron"] = cron });
        Assert.Contains($"Digests:Weekly:Cron '{cron}' is not a cron expression", error);
    }

    [Theory]
    [InlineData("30 6 * * 5")]
    [InlineData("0 30 6 * * FRI")] // six fields: seconds first
    public async Task Hangfire_SchedulesTheDigest_WithACronOfFiveOrSixFields(string cron)
    {
        await using var app = await NewsletterApp.StartAsync(settings: new Dictionary<string, string?> { ["Digests:Weekly:Cron"] = cron });
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetRecurringJobs([DigestRunner.RecurringJobId(Cadence.Weekly)]).Single();

        Assert.Equal(cron, job.Cron);
        Assert.Null(job.Error);
        Assert.Equal(DayOfWeek.Friday, job.NextExecution!.Value.DayOfWeek);
        Assert.Equal(new TimeSpan(6, 30, 0), job.NextExecution!.Value.TimeOfDay);
    }
}
