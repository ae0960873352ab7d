using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Articles;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Rendering;

namespace NewsletterService.Infrastructure;

/// <summary>
/// Takes the first-request costs off the first request. Before the service listens, one write as an article import
/// makes it (rolled back, so nothing is kept) has EF Core build its model and the JIT compile the query and save
/// paths: without it the first import after a start took ~1.2 s, later ones ~0.05 s; and the queries of a campaign's
/// way through the API and its jobs are compiled (<see cref="SendPathWarmUp"/>). Then, in the background
/// (<c>Templates:CompileAtStart</c>), the email templates are compiled and the sample article's email is rendered once
/// (not kept): without it the first preview or campaign after a start of a new build waited ~20 s for the template
/// compiler, and ~5 s for the JIT of the rendering (CSS inlining, text part) when the templates were compiled already;
/// then one reader's message of it is sent as a batch sends it, to an SMTP server played in this process (<see cref="SmtpRehearsal"/>).
/// </summary>
public sealed class StartupWarmUp(
    IDbContextFactory<NewsletterDb> dbs, IEmailRenderer renderer, ArticleCampaignKind articles, IOptions<TemplateOptions> templates,
    IServiceProvider services, TimeProvider time, ILogger<StartupWarmUp> log) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _compiling = Task.CompletedTask;

    public async Task StartAsync(CancellationToken ct)
    {
        if (templates.Value.CompileAtStart && renderer is RazorEmailRenderer razor) _compiling = Task.Run(() => CompileAsync(razor));
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await ArticleStore.ImportAsync(db, time, SampleArticle.Text(), ct);
            await tx.RollbackAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "The start-up warm-up write failed; the first request will be slower");
        }
        await WarmSendPathAsync(ct);
    }

    private async Task CompileAsync(RazorEmailRenderer razor)
    {
        try
        {
            var started = time.GetTimestamp();
            await razor.CompileAllAsync(_stopping.Token);
            if (PlainTextArticle.TryParse(SampleArticle.Text(), out var sample, out _))
            {
                var now = time.GetUtcNow().UtcDateTime;
                var content = await articles.RenderAsync(new Article
                {
                    Title = sample.Title, ImageCredit = sample.ImageCredit, Body = sample.Body, PublishedAt = now, CreatedAt = now,
                }, _stopping.Token);
                await SmtpRehearsal.RunAsync(services, content, _stopping.Token);
            }
            log.LogInformation("Email templates compiled, rendered and sent in rehearsal at start-up in {Elapsed}", time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            // A template that does not compile fails where it is used, with its errors; the service starts all the same.
            log.LogWarning(e, "Compiling the email templates at start-up failed");
        }
    }

    private async Task WarmSendPathAsync(CancellationToken ct)
    {
        try
        {
            var started = time.GetTimestamp();
            await SendPathWarmUp.RunAsync(services, time.GetUtcNow().UtcDateTime, ct);
            log.LogInformation("The send path's queries were compiled before listening, in {Elapsed}", time.GetElapsedTime(started));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Warming the send path at start-up failed; the first campaign will be slower");
        }
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        await _compiling.WaitAsync(ct);
    }
}
