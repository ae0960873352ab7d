using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Delivery;

/// <summary>
/// The ledger keeps every campaign's rows, a row per reader and campaign: a query that scans it grows with the history
/// (a scan per batch made a million-reader send slower as it went). These check SQLite's plan for the hot ones.
/// </summary>
public sealed class LedgerQueryPlanTests
{
    [Fact]
    public async Task ClaimedRows_AreFoundThroughTheCampaignsIndex_NotByScanningEveryCampaignsLedger()
    {
        // The batch's readers, its claim renewals and its release all start from these rows.
        var step = await PlanAsync(db => DeliveryLedger.Claimed(db, campaignId: 7, firstId: 1001, lastId: 2000, claim: "c"));

        Assert.StartsWith("SEARCH", step);
        Assert.Contains("IX_Deliveries_CampaignId_Status_Id", step);
    }

    [Fact]
    public async Task AReadersMail_IsFoundThroughTheSubscriberIndex_NotByScanningEveryCampaignsLedger()
    {
        // A reader's preferences page, their erasure and a bounce without VERP look up their mail over all campaigns.
        var step = await PlanAsync(db => db.Deliveries.Where(d => d.SubscriberId == 42 && d.Status == DeliveryStatus.Sent));

        Assert.StartsWith("SEARCH", step);
        Assert.Contains("IX_Deliveries_SubscriberId", step);
    }

    private static async Task<string> PlanAsync(Func<NewsletterDb, IQueryable<DeliveryRecord>> query)
    {
        await using var app = await NewsletterApp.StartAsync();
        var plan = await app.WithDbAsync(async db =>
        {
            var sql = query(db).ToQueryString().Split('\n');
            await db.Database.OpenConnectionAsync();
            await using var explain = db.Database.GetDbConnection().CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', sql.Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
            foreach (var line in sql.Where(l => l.StartsWith(".param set ", StringComparison.Ordinal)))
            {
                var parts = line.Split(' ', 4);
                var parameter = explain.CreateParameter();
                (parameter.ParameterName, parameter.Value) = (parts[2], parts[3].Trim().Trim('\''));
                explain.Parameters.Add(parameter);
            }
            var steps = new List<string>();
            await using var rows = await explain.ExecuteReaderAsync();
            while (await rows.ReadAsync()) steps.Add(rows.GetString(3));
            return steps;
        });
        return Assert.Single(plan);
    }
}
