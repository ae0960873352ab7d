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
        // Outside Development, owners only: the captured mails hold other people's invitation and password links.
        if (!app.Environment.IsDevelopment()) inbox.RequireAuthorization(AdminSecurity.Policy).RequirePermission(Permission.Settings);

        inbox.MapGet("/", (DevInboxStore store) => PublicPage.Show<InboxPage>(new { Mails = store.Newest() }));
        inbox.MapGet("/{id:long}", (long id, DevInboxStore store) =>
            store.Find(id) is { } mail ? PublicPage.Show<MailPage>(new { Mail = mail, Message = mail.Parse() }) : Results.NotFound());
        inbox.MapGet("/{id:long}/html", (long id, DevInboxStore store) => store.Find(id) is { } mail
            ? Results.Content(mail.Parse().HtmlBody ?? "", "text/html; charset=utf-8") : Results.NotFound()).ShownInOwnFrame();
        inbox.MapGet("/{id:long}/raw", (long id, DevInboxStore store) =>
            store.Find(id) is { } mail ? Results.Bytes(mail.Raw, "text/plain; charset=utf-8") : Results.NotFound());
        return app;
    }
}
