using System.Net;
using MailKit.Net.Smtp;
using MimeKit;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.DevInbox;

/// <summary>The dev inbox's pages show what any SMTP client sent it: every header, subject and text is text, never markup.</summary>
public sealed class DevInboxPagesTests
{
    [Fact]
    public async Task DevInbox_ShowsAHostileMail_WithEverythingItSaysEncoded()
    {
        var port = SmtpCapture.FreePort();
        await using var app = await NewsletterApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["DevInbox:Enabled"] = "true", ["DevInbox:Port"] = port.ToString(),
        });
        var mail = new MimeMessage { Subject = "<script>alert('subject')</script>" };
        mail.From.Add(new MailboxAddress("<img src=x onerror=alert(1)>", "from@example.test"));
        mail.To.Add(new MailboxAddress("<b>Reader</b>", "reader@example.test"));
        mail.Headers.Add("X-Note", "<iframe src=//evil.example>");
        mail.Body = new TextPart("plain") { Text = "Line one\n</pre><script>alert('text')</script>" };
        await SendWhenListeningAsync(port, mail);
        var admin = app.Admin();

        var inbox = await admin.GetAsync("/dev/inbox");
        var inboxHtml = await inbox.Content.ReadAsStringAsync();
        var id = System.Text.RegularExpressions.Regex.Match(inboxHtml, "href=\"/dev/inbox/(\\d+)\"").Groups[1].Value;
        var page = await admin.GetAsync($"/dev/inbox/{id}");
        var pageHtml = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, inbox.StatusCode);
        Assert.Contains("Mail the service sent while the dev inbox is on (1 kept).", inboxHtml);
        Assert.Contains("&lt;script&gt;alert(", inboxHtml);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>&lt;script&gt;alert(", pageHtml);
        Assert.Contains("&lt;iframe src=//evil.example&gt;", pageHtml);
        Assert.Contains($"<iframe sandbox title=\"HTML part\" src=\"/dev/inbox/{id}/html\"", pageHtml);
        foreach (var html in new[] { inboxHtml, pageHtml })
        {
            Assert.DoesNotContain("<script", html);
            Assert.DoesNotContain("<b>Reader", html);
            Assert.DoesNotContain("<img", html);
            Assert.DoesNotContain("evil.example>", html);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/dev/inbox/{id}999")).StatusCode);
    }

    /// <summary>
    /// Sends over SMTP, retrying the connection until the dev inbox listens (it starts with the host, in the background).
    /// </summary>
    private static async Task SendWhenListeningAsync(int port, MimeMessage mail)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var smtp = new SmtpClient();
            try
            {
                await smtp.ConnectAsync("127.0.0.1", port, MailKit.Security.SecureSocketOptions.None);
                await smtp.SendAsync(mail);
                await smtp.DisconnectAsync(true);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(50);
            }
        }
    }
}
