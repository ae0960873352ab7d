using NewsletterService.Data;

namespace NewsletterService.Infrastructure;

public static class Health
{
    /// <summary><c>GET /healthz</c>: 200 while the service is up and its database answers, 503 otherwise.</summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapGet("/healthz", async (NewsletterDb db, CancellationToken ct) =>
            await db.Database.CanConnectAsync(ct)
                ? Results.Text("ok")
                : Results.Problem(statusCode: 503, detail: "The database does not answer."));
        return app;
    }
}
