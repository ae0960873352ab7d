using Microsoft.EntityFrameworkCore;
using NewsletterService.Delivery;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Delivery;

public sealed class ClaimedRowsTests
{
    [Fact]
    public async Task ClaimedRows_AreFoundThroughTheCampaignsIndex_NotByScanningEveryCampaignsLedger()
    {
        await using var app = await NewsletterApp.StartAsync();

        // The batch's readers, its claim renewals and its release all start from these rows; the ledger keeps every
        // campaign's rows, so a scan of it per batch grows with the history (and made a million-reader send slower).
        var plan = await app.WithDbAsync(async db =>
        {
            var query = DeliveryLedger.Claimed(db, campaignId: 7, firstId: 1001, lastId: 2000, claim: "c").ToQueryString().Split('\n');
            await db.Database.OpenConnectionAsync();
            await using var explain = db.Database.GetDbConnection().CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', query.Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
            foreach (var line in query.Where(l => l.StartsWith(".param set ", StringComparison.Ordinal)))
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

        var step = Assert.Single(plan);
        Assert.StartsWith("SEARCH", step);
        Assert.Contains("IX_Deliveries_CampaignId_Status_Id", step);
    }
}
