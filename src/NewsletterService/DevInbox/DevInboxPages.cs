using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using NewsletterService.Delivery;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.DevInbox;

public static class DevInboxPages
{
    public static WebApplicationBuilder AddDevInbox(this WebApplicationBuilder builder)
    {
        var enabled = builder.Configuration.GetValue<bool?>("DevInbox:Enabled") ?? builder.Environment.IsDevelopment();
        builder.Services.AddOptions<DevInboxOptions>().BindConfiguration(DevInboxOptions.Section)
            .PostConfigure(o => o.Enabled = enabled).ValidateDataAnnotations().ValidateOnStart();
        if (!enabled) return builder;

        builder.Services.AddSingleton<DevInboxStore>();
        builder.Services.AddHostedService<DevInboxServer>();
        builder.Services.PostConfigure<SmtpOptions>(smtp =>
        {
            smtp.Host = "127.0.0.1";
            smtp.Port = builder.Configuration.GetValue("DevInbox:Port", 2525);
            smtp.SecureSocket = SmtpSecurity.None;
            smtp.Username = smtp.Password = null;
            smtp.Servers.Clear();
        });
        return builder;
    }

    public static WebApplication MapDevInbox(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<DevInboxOptions>>().Value.Enabled != true) return app;
        var inbox = app.MapGroup("/dev/inbox");
        if (!app.Environment.IsDevelopment()) inbox.RequireAuthorization(AdminSecurity.Policy);

        inbox.MapGet("/", (DevInboxStore store) =>
        {
            var rows = new StringBuilder();
            foreach (var m in store.Newest())
                rows.Append($"<tr><td>{m.ReceivedAt:HH:mm:ss}</td><td>{E(m.To)}</td><td><a href=\"/dev/inbox/{m.Id}\">{E(m.Subject)}</a></td></tr>");
            return Page("Dev inbox", $"<p>Mail the service sent while the dev inbox is on ({store.Newest().Count} kept).</p>" +
                $"<table><thead><tr><th>Received</th><th>To</th><th>Subject</th></tr></thead><tbody>{rows}</tbody></table>");
        });
        inbox.MapGet("/{id:long}", (long id, DevInboxStore store) =>
        {
            if (store.Find(id) is not { } mail) return Results.NotFound();
            var message = mail.Parse();
            var headers = string.Join("", message.Headers.Select(h => $"<tr><th>{E(h.Field)}</th><td>{E(h.Value)}</td></tr>"));
            return Page(mail.Subject,
                $"<p><a href=\"/dev/inbox\">&larr; Inbox</a> · <a href=\"/dev/inbox/{id}/raw\">Raw</a></p><table>{headers}</table>" +
                $"<h2>HTML</h2><iframe sandbox title=\"HTML part\" src=\"/dev/inbox/{id}/html\" style=\"width:100%;height:70vh;border:1px solid #ccc\"></iframe>" +
                $"<h2>Text</h2><pre>{E(message.TextBody ?? "")}</pre>");
        });
        inbox.MapGet("/{id:long}/html", (long id, DevInboxStore store) => store.Find(id) is { } mail
            ? Results.Content(mail.Parse().HtmlBody ?? "", "text/html; charset=utf-8") : Results.NotFound()).ShownInOwnFrame();
        inbox.MapGet("/{id:long}/raw", (long id, DevInboxStore store) =>
            store.Find(id) is { } mail ? Results.Bytes(mail.Raw, "text/plain; charset=utf-8") : Results.NotFound());
        return app;
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);

    private static IResult Page(string title, string body) => Results.Content(
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{E(title)}</title>" +
        "<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%}" +
        "td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}th{white-space:nowrap}</style></head>" +
        $"<body><h1>{E(title)}</h1>{body}</body></html>", "text/html; charset=utf-8");
}
