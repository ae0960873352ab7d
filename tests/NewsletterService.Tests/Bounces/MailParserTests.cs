using NewsletterService.Bounces;

namespace NewsletterService.Tests.Bounces;

/// <summary>What <see cref="MailParser"/> makes of each kind of mail the bounce and unsubscribe mailboxes receive.</summary>
public sealed class MailParserTests
{
    [Theory]
    [InlineData("exchange-dsn", MailKind.HardBounce, "5.1.10", "RESOLVER.ADR.RecipientNotFound")]
    [InlineData("gmail-dsn", MailKind.HardBounce, "5.1.1", "The email account that you tried to reach does not exist")]
    [InlineData("postfix-dsn", MailKind.HardBounce, "5.1.1", "Recipient address rejected: User unknown in virtual mailbox table")]
    [InlineData("sendmail-dsn", MailKind.HardBounce, "5.2.1", "550 5.2.1 <reader0@example.test>... Mailbox disabled")]
    [InlineData("delayed-dsn", MailKind.SoftBounce, "4.4.1", "Connection timed out")]
    [InlineData("exim-prose", MailKind.HardBounce, "5.1.1", "User unknown")]
    [InlineData("qmail-prose", MailKind.HardBounce, "5.2.1", "Mailbox disabled")]
    [InlineData("arf-complaint", MailKind.Complaint, null, "abuse report from ExampleFBL/1.0")]
    public void AReport_IsReadAsItsKind_WithTheCampaignAndDeliveryItsVerpAddressNames(
        string fixture, MailKind kind, string? status, string diagnostic)
    {
        var outcome = MailParser.Parse(MailFixtures.Load(fixture, MailFixtures.Verp(7, 42)), MailFixtures.BounceDomain);

        Assert.Equal((kind, status, 7L, 42L), (outcome.Kind, outcome.Status, outcome.CampaignId, outcome.DeliveryId));
        Assert.Contains(diagnostic, outcome.Diagnostic);
    }

    [Theory]
    [InlineData("exchange-dsn")]
    [InlineData("gmail-dsn")]
    [InlineData("postfix-dsn")]
    [InlineData("sendmail-dsn")]
    [InlineData("arf-complaint")]
    public void AReport_NamesTheRecipientItIsAbout(string fixture) =>
        Assert.Equal("gone@reader.example",
            MailParser.Parse(MailFixtures.Load(fixture, recipient: "gone@reader.example"), MailFixtures.BounceDomain).Recipient);

    [Fact]
    public void ADeliveryStatusNotification_ToAnAddressOfAnotherDomain_NamesNoDelivery_OnlyItsRecipient()
    {
        var outcome = MailParser.Parse(MailFixtures.Load("gmail-dsn", "bounces+c7-d42@elsewhere.example"), MailFixtures.BounceDomain);

        Assert.Equal((MailKind.HardBounce, (long?)null, "reader0@example.test"), (outcome.Kind, outcome.DeliveryId, outcome.Recipient));
    }

    [Fact]
    public void ADeliveryStatusNotification_DeliveredToTheMailboxsPlainAddress_IsMatchedByTheVerpAddressOfTheReturnedHeaders()
    {
        var dsn = MailFixtures.Load("postfix-dsn", MailFixtures.Verp(7, 42));
        foreach (var header in new[] { "To", "Delivered-To", "X-Original-To" })
            dsn.Headers[header] = "bounces@" + MailFixtures.BounceDomain; // an alias that drops the +extension

        var outcome = MailParser.Parse(dsn, MailFixtures.BounceDomain);

        Assert.Equal((MailKind.HardBounce, 7L, 42L), (outcome.Kind, outcome.CampaignId, outcome.DeliveryId));
    }

    [Fact]
    public void ABounceInProse_WithoutOurVerpAddress_IsUnmatched() =>
        Assert.Equal(MailKind.Unmatched,
            MailParser.Parse(MailFixtures.Load("exim-prose", "someone@elsewhere.example"), MailFixtures.BounceDomain).Kind);

    [Fact]
    public void AnOutOfOfficeReply_ToTheVerpAddress_IsIgnored() =>
        Assert.Equal(MailKind.Ignored, MailParser.Parse(MailFixtures.Load("out-of-office"), MailFixtures.BounceDomain).Kind);

    [Fact]
    public void AChallengeToConfirmTheSender_IsIgnored()
    {
        var challenge = MailFixtures.Load("note-from-a-reader");
        challenge.Subject = "Please confirm your message to reader0@example.test";

        Assert.Equal(MailKind.Ignored, MailParser.Parse(challenge, MailFixtures.BounceDomain).Kind);
    }

    [Fact]
    public void AReadersNote_IsUnmatched() =>
        Assert.Equal(MailKind.Unmatched, MailParser.Parse(MailFixtures.Load("note-from-a-reader"), MailFixtures.BounceDomain).Kind);

    [Fact]
    public void AMailedUnsubscribe_OffersTheTokenInItsSubject()
    {
        var token = new string('A', 22) + "b-c_" + new string('9', 18);

        var outcome = MailParser.Parse(MailFixtures.Load("unsubscribe", token: token), MailFixtures.BounceDomain);

        Assert.Equal((MailKind.Unsubscribe, token), (outcome.Kind, Assert.Single(outcome.Tokens)));
    }

    [Fact]
    public void AReplyQuotingANewsletter_OffersNoTokenFromItsBody()
    {
        var reply = MailFixtures.Load("note-from-a-reader");
        reply.InReplyTo = "original@example.test";
        reply.Body = new MimeKit.TextPart("plain") { Text = "> Unsubscribe: https://news.example.test/unsubscribe/" + new string('A', 44) };

        Assert.Equal(MailKind.Unmatched, MailParser.Parse(reply, MailFixtures.BounceDomain).Kind);
    }
}
