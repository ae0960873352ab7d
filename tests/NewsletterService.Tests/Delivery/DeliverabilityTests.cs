using System.Security.Cryptography;
using MimeKit;
using MimeKit.Cryptography;
using NewsletterService.Tests.Infrastructure;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;

namespace NewsletterService.Tests.Delivery;

public sealed class DeliverabilityTests
{
    [Fact]
    public async Task WithDkimConfigured_EveryMessageCarriesASignatureThatVerifiesAgainstThePublicKey()
    {
        using var rsa = RSA.Create(2048);
        var keyFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(keyFile, rsa.ExportRSAPrivateKeyPem());
        try
        {
            await using var app = await NewsletterApp.StartAsync(settings: new Dictionary<string, string?>
            {
                ["Dkim:Domain"] = "example.test", ["Dkim:Selector"] = "news2026", ["Dkim:PrivateKeyPath"] = keyFile,
            });
            var admin = app.Admin();
            var article = await admin.ImportArticleAsync(SampleTexts.Article);
            await admin.ImportSubscribersAsync(Api.Csv(3));
            await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article["id"]!.GetValue<long>()));

            var verifier = new DkimVerifier(new PublicKey(rsa.ExportSubjectPublicKeyInfoPem()));
            Assert.Equal(3, app.Smtp.Messages.Count);
            foreach (var message in app.Smtp.Messages)
            {
                var index = message.Headers.IndexOf(HeaderId.DkimSignature);
                Assert.True(index >= 0, "The message is not signed.");
                var signature = message.Headers[index].Value;
                Assert.Contains("c=relaxed/relaxed", signature);
                Assert.Contains("d=example.test", signature);
                Assert.Contains("s=news2026", signature);
                var signed = System.Text.RegularExpressions.Regex.Match(signature, @"h=([^;]+)").Groups[1].Value.Replace(" ", "")
                    .ToLowerInvariant();
                Assert.Equal(["from", "subject", "date", "message-id", "to", "list-unsubscribe", "list-unsubscribe-post"],
                    signed.Split(':').Select(h => h.Trim()).ToArray());
                Assert.True(await verifier.VerifyAsync(message, message.Headers[index]), "The DKIM signature does not verify.");
            }
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public async Task WithABounceDomain_TheEnvelopeSenderNamesTheDelivery_VerpStyle()
    {
        await using var app = await NewsletterApp.StartAsync(
            settings: new Dictionary<string, string?> { ["Newsletter:BounceDomain"] = "bounces.example.test" });
        var admin = app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(3));
        var id = await admin.StartCampaignAsync(article["id"]!.GetValue<long>());
        await admin.WaitForCampaignAsync(id);

        var senders = app.Smtp.Messages.Select(m => m.Headers[SmtpCapture.EnvelopeHeader]).ToList();
        Assert.Equal(3, senders.Distinct().Count());
        Assert.All(senders, s => Assert.Matches($@"^bounces\+c{id}-d\d+@bounces\.example\.test$", s));
        Assert.All(app.Smtp.Messages, m => Assert.Equal("news@example.test", m.From.Mailboxes.Single().Address));
    }

    [Fact]
    public async Task WithoutABounceDomain_TheEnvelopeSenderIsTheFromAddress()
    {
        await using var app = await NewsletterApp.StartAsync();
        var admin = app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(1));
        await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article["id"]!.GetValue<long>()));

        Assert.Equal("news@example.test", app.Smtp.Messages.Single().Headers[SmtpCapture.EnvelopeHeader]);
    }

    /// <summary>Answers every DKIM key lookup with the one public key, as DNS would for the selector.</summary>
    private sealed class PublicKey(string pem) : IDkimPublicKeyLocator
    {
        private readonly AsymmetricKeyParameter _key = (AsymmetricKeyParameter)new PemReader(new StringReader(pem)).ReadObject();
        public AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken ct = default) =>
            _key;
        public Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector,
            CancellationToken ct = default) => Task.FromResult(_key);
    }
}
