using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;

namespace NewsletterService.Articles;

/// <summary>In Development, a first run imports the project's sample article so that there is something to send.</summary>
public static class SampleArticle
{
    public static string Text()
    {
        using var stream = typeof(SampleArticle).Assembly.GetManifestResourceStream("sample-article.txt")!;
        return new StreamReader(stream).ReadToEnd();
    }

    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDb>();
        if (!await db.Articles.AnyAsync(ct))
            await ArticleStore.ImportAsync(db, scope.ServiceProvider.GetRequiredService<TimeProvider>(), Text(), ct);
    }
}
