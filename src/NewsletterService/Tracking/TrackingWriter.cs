using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;
using Npgsql;
using NpgsqlTypes;

namespace NewsletterService.Tracking;

/// <summary>
/// Writes the <see cref="TrackingBuffer"/>'s hits in batches (up to <see cref="MaxBatch"/> per transaction, at most one a
/// quarter second while hits keep coming). Hits of readers who were erased or turned tracking off meanwhile are dropped; opens
/// fetched within <see cref="TrackingOptions.MachineOpenSeconds"/> of their delivery are marked as machines'. On a clean
/// shutdown it writes everything the buffer holds before the service stops.
/// </summary>
public sealed class TrackingWriter(
    TrackingBuffer buffer, IDbContextFactory<NewsletterDb> dbs, IOptions<TrackingOptions> options, ILogger<TrackingWriter> log)
    : BackgroundService
{
    public const int MaxBatch = 5000;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var batch = new List<TrackingHit>(MaxBatch);
        while (await buffer.Reader.WaitToReadAsync(CancellationToken.None)) // ends once the buffer is completed and empty
        {
            while (batch.Count < MaxBatch && buffer.Reader.TryRead(out var hit)) batch.Add(hit);
            try
            {
                await WriteAsync(batch);
            }
            catch (Exception e)
            {
                log.LogError(e, "Tracking: could not write {Count} hits", batch.Count);
            }
            var full = batch.Count == MaxBatch;
            batch.Clear();
            if (!full && !stopping.IsCancellationRequested)
                await Task.Delay(TimeSpan.FromMilliseconds(250), stopping).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public override Task StopAsync(CancellationToken ct)
    {
        buffer.Complete();
        return base.StopAsync(ct);
    }

    private async Task WriteAsync(List<TrackingHit> hits)
    {
        await using var db = await dbs.CreateDbContextAsync();
        var readerIds = hits.Select(h => h.SubscriberId).Distinct().ToList();
        var tracked = (await db.Subscribers.Where(s => readerIds.Contains(s.Id) && !s.TrackingOff).Select(s => s.Id).ToListAsync())
            .ToHashSet();
        var openCampaigns = hits.Where(h => h.Kind == ActivityKind.Open && !h.Machine).Select(h => h.CampaignId).Distinct().ToList();
        var sentAt = openCampaigns.Count == 0 ? [] : await db.Deliveries
            .Where(d => openCampaigns.Contains(d.CampaignId) && readerIds.Contains(d.SubscriberId))
            .Select(d => new { d.CampaignId, d.SubscriberId, d.SentAt })
            .ToDictionaryAsync(d => (d.CampaignId, d.SubscriberId), d => d.SentAt);
        var seconds = options.Value.MachineOpenSeconds;
        var rows = hits.Where(h => tracked.Contains(h.SubscriberId)).Select(h => h with
        {
            Machine = h.Machine || (h.Kind == ActivityKind.Open &&
                                    MachineOpens.BySpeed(h.At, sentAt.GetValueOrDefault((h.CampaignId, h.SubscriberId)), seconds)),
        });
        await db.Database.OpenConnectionAsync();
        if (db.Database.GetDbConnection() is NpgsqlConnection postgres) await CopyAsync(postgres, rows);
        else await InsertAsync(db.Database.GetDbConnection(), rows);
    }

    private const string Columns = "\"CampaignId\", \"SubscriberId\", \"Kind\", \"LinkId\", \"Machine\", \"At\"";

    /// <summary>PostgreSQL: the batch as one binary COPY.</summary>
    private static async Task CopyAsync(NpgsqlConnection connection, IEnumerable<TrackingHit> rows)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY \"Activities\" ({Columns}) FROM STDIN (FORMAT BINARY)");
        foreach (var h in rows)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(h.CampaignId, NpgsqlDbType.Bigint);
            await copy.WriteAsync(h.SubscriberId, NpgsqlDbType.Bigint);
            await copy.WriteAsync(h.Kind.ToString(), NpgsqlDbType.Varchar);
            if (h.LinkId is { } link) await copy.WriteAsync(link, NpgsqlDbType.Bigint);
            else await copy.WriteNullAsync();
            await copy.WriteAsync(h.Machine, NpgsqlDbType.Boolean);
            await copy.WriteAsync(h.At, NpgsqlDbType.TimestampTz);
        }
        await copy.CompleteAsync();
    }

    /// <summary>SQLite: one prepared INSERT run for each row, in one transaction.</summary>
    private static async Task InsertAsync(DbConnection connection, IEnumerable<TrackingHit> rows)
    {
        await using var tx = await connection.BeginTransactionAsync();
        await using var insert = connection.Command(tx, $"INSERT INTO \"Activities\" ({Columns}) VALUES (@c, @s, @k, @l, @m, @a)",
            ("@c", null), ("@s", null), ("@k", null), ("@l", null), ("@m", null), ("@a", null));
        foreach (var h in rows) await insert.RunAsync(tx, h.CampaignId, h.SubscriberId, h.Kind.ToString(), h.LinkId, h.Machine, h.At);
        await tx.CommitAsync();
    }
}
