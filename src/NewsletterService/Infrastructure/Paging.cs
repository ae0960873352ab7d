namespace NewsletterService.Infrastructure;

/// <summary>Pages of the API's lists: page from 1, 1-500 items; a page past the end is empty, however large its number.</summary>
public static class Paging
{
    public static (int Page, int PageSize) Clamp(int page, int pageSize) => (Math.Max(1, page), Math.Clamp(pageSize, 1, 500));

    /// <summary>The rows before <paramref name="page"/>, counted in 64 bits so that no page number overflows.</summary>
    public static int Skip(int page, int pageSize) => (int)Math.Min(int.MaxValue, (page - 1L) * pageSize);
}
