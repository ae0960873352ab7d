using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NewsletterService.Audit;
using NewsletterService.Data;

namespace NewsletterService.Subscriptions;

public sealed record ImportError(long Line, string Error);

public sealed record ImportReport(int Imported, int Skipped, int ErrorCount, IReadOnlyList<ImportError> Errors);

/// <summary>
/// Imports a CSV (header <c>email,name</c>, optionally <c>lists</c> (slugs separated by <c>;</c> or <c>|</c>) and
/// <c>cadence</c>, more named columns allowed) as confirmed subscribers. Streams the file and writes in batches inside one
/// transaction: a file that cannot be read leaves nothing half-imported. Addresses on the suppression list (erased at
/// their owner's request), and rows with more values than the header has columns (an unquoted comma), are reported as
/// errors, never added.
/// </summary>
public sealed class SubscriberImport(NewsletterDb db, TimeProvider time, AuditLog audit)
{
    private const int BatchSize = 1000;
    private const int MaxReportedErrors = 1000;
    private const string SuppressedError = "This address was erased at its owner's request; only its owner can subscribe it again.";
    private static readonly char[] ListSeparators = [';', '|'];

    public sealed class FormatError(string field, string message) : Exception(message)
    {
        public string Field { get; } = field;
    }

    public async Task<ImportReport> ImportAsync(Stream csvStream, CancellationToken ct)
    {
        using var reader = new StreamReader(csvStream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(),
            MissingFieldFound = null,
            HeaderValidated = null,
            BadDataFound = null,
            TrimOptions = TrimOptions.Trim,
        });
        if (!await csv.ReadAsync() || !csv.ReadHeader() || csv.HeaderRecord is not { } header ||
            !header.Any(h => h.Trim().Equals("email", StringComparison.OrdinalIgnoreCase)))
            throw new FormatError("email",
                "The CSV needs a header row with an 'email' column (and optionally 'name', 'lists', 'cadence').");

        var errors = new List<ImportError>();
        int imported = 0, skipped = 0, errorCount = 0;
        void Error(long line, string error) { if (errorCount++ < MaxReportedErrors) errors.Add(new ImportError(line, error)); }
        var batch = new Dictionary<string, (Subscriber Subscriber, long Line)>();
        var now = time.GetUtcNow().UtcDateTime;
        var lists = await SubscriptionChoices.ListsBySlugAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await using var inserts = new SubscriberInserts(db.Database.GetDbConnection(), tx.GetDbTransaction());

        while (await csv.ReadAsync())
        {
            var line = csv.Parser.RawRow;
            var email = csv.GetField("email");
            var name = csv.GetField("name");
            if (string.IsNullOrWhiteSpace(email) && string.IsNullOrWhiteSpace(name)) continue;
            if (csv.Parser.Count > header.Length)
            {
                Error(line, $"This row has {csv.Parser.Count} values but the header has {header.Length} columns. " +
                    "Put a value that contains a comma in double quotes.");
                continue;
            }
            if (!EmailAddress.TryParse(email, out var address, out var error) || !SubscriberName.TryNormalise(name, out name, out error) ||
                !SubscriptionChoices.TryParseCadence(csv.GetField("cadence"), out var cadence, out error) ||
                !SubscriptionChoices.TryResolveLists(lists, csv.GetField("lists")?.Split(ListSeparators), out var listIds, out error))
            {
                Error(line, error);
                continue;
            }
            var subscriber = new Subscriber
            {
                Email = address.Display, EmailKey = address.Key, Name = name, Status = SubscriberStatus.Confirmed,
                Cadence = cadence, CreatedAt = now, ConfirmedAt = now,
            };
            subscriber.SetLists(listIds);
            if (!batch.TryAdd(address.Key, (subscriber, line))) skipped++;
            if (batch.Count >= BatchSize) await SaveAsync();
        }
        await SaveAsync();
        await tx.CommitAsync(ct);
        await audit.RecordAsync("subscriber.import", null, new { imported, skipped, errorCount });
        return new ImportReport(imported, skipped, errorCount, errors);

        // Inserts the batch's new addresses; those already on file (in any status) are skipped, never changed.
        async Task SaveAsync()
        {
            if (batch.Count == 0) return;
            var byHash = batch.Keys.ToDictionary(Suppression.HashOf);
            var hashes = byHash.Keys.ToList();
            foreach (var hash in await db.Suppressions.Where(x => hashes.Contains(x.EmailHash)).Select(x => x.EmailHash).ToListAsync(ct))
            {
                Error(batch[byHash[hash]].Line, SuppressedError);
                batch.Remove(byHash[hash]);
            }
            var inserted = await inserts.InsertAsync(batch.Values.Select(b => b.Subscriber).ToList(), ct);
            imported += inserted;
            skipped += batch.Count - inserted;
            batch.Clear();
        }
    }
}
