using Microsoft.Extensions.Time.Testing;
using NewsletterService.Security;

namespace NewsletterService.Tests.Security;

public sealed class LinkTokensTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));

    private static LinkTokens Tokens(string secret = "a test secret of some length")
    {
        var key = new SigningKey();
        key.Use(secret);
        return new LinkTokens(key, Time);
    }

    [Fact]
    public void Token_ReadsBackItsSubscriber_ForItsOwnPurpose()
    {
        var tokens = Tokens();

        Assert.True(tokens.TryRead(tokens.Create(TokenPurpose.Unsubscribe, 42), TokenPurpose.Unsubscribe, out var id));
        Assert.Equal(42, id);
    }

    [Fact]
    public void Token_IsRejected_ForAnotherPurpose()
    {
        var tokens = Tokens();

        Assert.False(tokens.TryRead(tokens.Create(TokenPurpose.Confirm, 42, TimeSpan.FromDays(7)), TokenPurpose.Unsubscribe, out _));
        Assert.False(tokens.TryRead(tokens.Create(TokenPurpose.Unsubscribe, 42), TokenPurpose.Preferences, out _));
    }

    [Fact]
    public void Token_IsRejected_WhenAnyCharacterIsChanged()
    {
        var tokens = Tokens();
        var token = tokens.Create(TokenPurpose.Unsubscribe, 42);

        for (var i = 0; i < token.Length; i++)
        {
            var changed = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            Assert.False(tokens.TryRead(changed, TokenPurpose.Unsubscribe, out _), $"accepted with character {i} changed");
        }
    }

    [Fact]
    public void Token_IsRejected_WhenSignedWithAnotherKey()
    {
        Assert.False(Tokens("another secret").TryRead(Tokens().Create(TokenPurpose.Unsubscribe, 42), TokenPurpose.Unsubscribe, out _));
    }

    [Fact]
    public void Token_Expires_AfterItsLifetime()
    {
        var tokens = Tokens();
        var token = tokens.Create(TokenPurpose.Confirm, 42, TimeSpan.FromDays(7));

        Time.Advance(TimeSpan.FromDays(6));
        Assert.True(tokens.TryRead(token, TokenPurpose.Confirm, out _));
        Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.False(tokens.TryRead(token, TokenPurpose.Confirm, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("!!!!")]
    public void Token_IsRejected_WhenMalformed(string token)
    {
        Assert.False(Tokens().TryRead(token, TokenPurpose.Unsubscribe, out _));
    }
}
