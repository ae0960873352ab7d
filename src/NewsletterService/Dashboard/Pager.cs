using Microsoft.AspNetCore.WebUtilities;

namespace NewsletterService.Dashboard;

/// <summary>Which page of a list is shown; links keep the list's other query parameters (search, filters).</summary>
public sealed class Pager(int page, int pageSize, int total, IQueryCollection query)
{
    public int Pages { get; } = Math.Max(1, (total + pageSize - 1) / pageSize);
    public int Page => Math.Clamp(page, 1, Pages);
    public int Skip => (Page - 1) * pageSize;

    public string Link(int to)
    {
        var values = query.Where(q => q.Key != "p").ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        values["p"] = to.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return QueryHelpers.AddQueryString("", values);
    }
}
