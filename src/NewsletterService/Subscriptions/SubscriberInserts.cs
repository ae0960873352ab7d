using System.Data.Common;
using NewsletterService.Data;
using Npgsql;
using NpgsqlTypes;

namespace NewsletterService.Subscriptions;

/// <summary>
/// The import's writes: new subscribers and their list memberships, in the import's transaction, without EF Core's change
/// tracker (a million-row import spent most of its time there). An address already on file, in any status, is left as it
/// is (<c>ON CONFLICT DO NOTHING</c>). PostgreSQL takes a batch as one statement of arrays; SQLite one prepared statement
/// run per row, which is as fast there (no round trips).
/// </summary>
public sealed class SubscriberInserts(DbConnection connection, DbTransaction tx) : IAsyncDisposable
{
    private const string Columns =
        "\"Email\", \"EmailKey\", \"Name\", \"Status\", \"Cadence\", \"CreatedAt\", \"ConfirmedAt\", \"TrackingOff\"";

    private DbCommand? subscriber, membership;

    /// <summary>Inserts the subscribers whose address is not on file yet; returns how many it inserted.</summary>
    public Task<int> InsertAsync(IReadOnlyList<Subscriber> batch, CancellationToken ct) =>
        batch.Count == 0 ? Task.FromResult(0) :
        connection is NpgsqlConnection ? InsertArraysAsync(batch, ct) : InsertRowsAsync(batch, ct);

    private async Task<int> InsertRowsAsync(IReadOnlyList<Subscriber> batch, CancellationToken ct)
    {
        subscriber ??= connection.Command(tx,
            $"INSERT INTO \"Subscribers\" ({Columns}) VALUES (@e, @k, @n, @s, @c, @t, @t, 0) ON CONFLICT (\"EmailKey\") DO NOTHING RETURNING \"Id\"",
            ("@e", null), ("@k", null), ("@n", null), ("@s", null), ("@c", null), ("@t", null));
        membership ??= connection.Command(tx, "INSERT INTO \"ListMembers\" (\"ListId\", \"SubscriberId\") VALUES (@l, @s)",
            ("@l", null), ("@s", null));
        var inserted = 0;
        foreach (var s in batch)
        {
            var id = await subscriber.Bind(s.Email, s.EmailKey, s.Name, s.Status.ToString(), s.Cadence.ToString(), s.CreatedAt)
                .ExecuteScalarAsync(ct);
            if (id is not long subscriberId) continue;
            inserted++;
            foreach (var m in s.Memberships) await membership.RunAsync(tx, m.ListId, subscriberId);
        }
        return inserted;
    }

    private async Task<int> InsertArraysAsync(IReadOnlyList<Subscriber> batch, CancellationToken ct)
    {
        await using var insert = connection.Command(tx,
            $"INSERT INTO \"Subscribers\" ({Columns}) SELECT e, k, n, s, c, @t, @t, false " +
            "FROM unnest(@e, @k, @n, @s, @c) AS r(e, k, n, s, c) ON CONFLICT (\"EmailKey\") DO NOTHING RETURNING \"Id\", \"EmailKey\"",
            ("@e", batch.Select(s => s.Email).ToArray()), ("@k", batch.Select(s => s.EmailKey).ToArray()),
            ("@s", batch.Select(s => s.Status.ToString()).ToArray()), ("@c", batch.Select(s => s.Cadence.ToString()).ToArray()),
            ("@t", batch[0].CreatedAt));
        ((NpgsqlCommand)insert).Parameters.Add(new NpgsqlParameter("@n", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = batch.Select(s => (object?)s.Name ?? DBNull.Value).ToArray(),
        });
        var ids = new Dictionary<string, long>(batch.Count);
        await using (var rows = await insert.ExecuteReaderAsync(ct))
            while (await rows.ReadAsync(ct)) ids[rows.GetString(1)] = rows.GetInt64(0);
        var members = batch.Where(s => ids.ContainsKey(s.EmailKey))
            .SelectMany(s => s.Memberships.Select(m => (m.ListId, SubscriberId: ids[s.EmailKey]))).ToList();
        if (members.Count > 0)
            await connection.ExecuteAsync(tx, "INSERT INTO \"ListMembers\" (\"ListId\", \"SubscriberId\") SELECT * FROM unnest(@l, @s)", ct,
                ("@l", members.Select(m => m.ListId).ToArray()), ("@s", members.Select(m => m.SubscriberId).ToArray()));
        return ids.Count;
    }

    public async ValueTask DisposeAsync()
    {
        if (subscriber is not null) await subscriber.DisposeAsync();
        if (membership is not null) await membership.DisposeAsync();
    }
}
