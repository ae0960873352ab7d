using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using NewsletterService.Accounts;
using NewsletterService.Rendering;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Accounts;

/// <summary>Mails to dashboard accounts: sent over SMTP with a button, and a comment from a person quoted as text.</summary>
public sealed class AccountMailerTests
{
    [Fact]
    public async Task AccountMail_CarriesItsButton_AndQuotesAHostileCommentAsText()
    {
        await using var app = await NewsletterApp.StartAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var mailer = scope.ServiceProvider.GetRequiredService<AccountMailer>();
            await mailer.SendAsync("writer@example.test", "Your campaign was returned",
                ["An editor returned your campaign with a comment."], new MailAction("Open the campaign", mailer.Url("/admin/campaigns/details/7")),
                CancellationToken.None, quote: "<script>alert(1)</script> & fix the title");
        }

        await app.Smtp.WaitForAsync(1);
        var mail = Assert.Single(app.Smtp.To("writer@example.test"));
        Assert.Equal("Your campaign was returned", mail.Subject);
        var html = mail.HtmlBody;
        Assert.Contains($"href=\"{NewsletterApp.BaseUrl}/admin/campaigns/details/7\"", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; fix the title", html);
        Assert.Contains("Open the campaign (", mail.TextBody);
        Assert.Null(mail.Headers[HeaderId.ListUnsubscribe]);
    }
}
