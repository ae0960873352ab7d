using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;

namespace NewsletterService.Subscriptions;

public sealed record ImportError(long Line, string Error);

public sealed record ImportReport(int Imported, int Skipped, int ErrorCount, IReadOnlyList<ImportError> Errors);

/// <summary>
/// Imports a CSV (header <c>email,name</c>, more columns allowed) as confirmed subscribers. Streams the file and
/// writes in batches inside one transaction: a file that cannot be read leaves nothing half-imported.
/// </summary>
public sealed class SubscriberImport(NewsletterDb db, TimeProvider time)
{
    private const int BatchSize = 1000;
    private const int MaxReportedErrors = 1000;

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
            throw new FormatError("email", "The CSV needs a header row with an 'email' column (and optionally 'name').");

        var errors = new List<ImportError>();
        int imported = 0, skipped = 0, errorCount = 0;
        var batch = new Dictionary<string, Subscriber>();
        var now = time.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        while (await csv.ReadAsync())
        {
            var line = csv.Parser.RawRow;
            var email = csv.GetField("email");
            var name = csv.GetField("name");
            if (string.IsNullOrWhiteSpace(email) && string.IsNullOrWhiteSpace(name)) continue;
            if (!EmailAddress.TryParse(email, out var address, out var error) || !SubscriberName.TryNormalise(name, out name, out error))
            {
                if (errorCount++ < MaxReportedErrors) errors.Add(new ImportError(line, error));
                continue;
            }
            if (!batch.TryAdd(address.Key, new Subscriber
                {
                    Email = address.Display, EmailKey = address.Key, Name = name, Status = SubscriberStatus.Confirmed,
                    Cadence = Cadence.Immediate, CreatedAt = now, ConfirmedAt = now,
                }))
                skipped++;
            if (batch.Count >= BatchSize) (imported, skipped) = Add(await SaveAsync(batch, ct), imported, skipped);
        }
        (imported, skipped) = Add(await SaveAsync(batch, ct), imported, skipped);
        await tx.CommitAsync(ct);
        return new ImportReport(imported, skipped, errorCount, errors);
    }

    private static (int, int) Add((int Imported, int Skipped) batch, int imported, int skipped) =>
        (imported + batch.Imported, skipped + batch.Skipped);

    /// <summary>Inserts the batch's new addresses; those already on file (in any status) are skipped, never changed.</summary>
    private async Task<(int Imported, int Skipped)> SaveAsync(Dictionary<string, Subscriber> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return (0, 0);
        var keys = batch.Keys.ToList();
        var existing = await db.Subscribers.Where(s => keys.Contains(s.EmailKey)).Select(s => s.EmailKey).ToListAsync(ct);
        foreach (var key in existing) batch.Remove(key);
        db.Subscribers.AddRange(batch.Values);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        var result = (batch.Count, existing.Count);
        batch.Clear();
        return result;
    }
}
