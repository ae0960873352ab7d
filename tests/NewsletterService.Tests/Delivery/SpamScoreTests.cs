using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Delivery;

public sealed class SpamScoreTests
{
    [SkippableFact]
    public async Task ArticleMail_ScoresBelowOne_WithSpamAssassinsLocalRules()
    {
        var spamassassin = Requires.Program("spamassassin", "apt-get install spamassassin");
        await using var app = await NewsletterApp.StartAsync();
        var admin = app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync("email,name\nana@example.test,Ana Berg\n");
        await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article["id"]!.GetValue<long>()));
        var mail = new MemoryStream();
        await app.Smtp.Messages.Single().WriteToAsync(mail);

        var report = await RunAsync(spamassassin, "-L -t", mail.ToArray());

        var score = double.Parse(Regex.Match(report, @"Content analysis details:\s+\((-?[\d.]+) points").Groups[1].Value,
            CultureInfo.InvariantCulture);
        Assert.True(score < 1.0, report[report.IndexOf("Content analysis details", StringComparison.Ordinal)..]);
    }

    private static async Task<string> RunAsync(string program, string arguments, byte[] input)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(input);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return await output;
    }
}
