using NewsletterService.Rendering;

namespace NewsletterService.Tests.Security;

public sealed class SafeUrlTests
{
    [Theory]
    [InlineData("https://harbour.example/a?b=c#d")]
    [InlineData("http://harbour.example")]
    [InlineData("HTTPS://HARBOUR.EXAMPLE/")]
    [InlineData("  https://harbour.example/\t")]
    [InlineData("mailto:editor@harbour.example")]
    public void Link_IsAllowed_ForAbsoluteHttpHttpsAndMailto(string url) => Assert.True(SafeUrl.IsSafeLink(url));

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JaVaScRiPt:alert(1)")]
    [InlineData(" javascript:alert(1)")]
    [InlineData("\u0001javascript:alert(1)")]
    [InlineData("java\tscript:alert(1)")]
    [InlineData("java\nscript:alert(1)")]
    [InlineData("java\r\nscript:alert(1)")]
    [InlineData("javascript&colon;alert(1)")]
    [InlineData("java&#115;cript:alert(1)")]
    [InlineData("%6Aavascript:alert(1)")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")]
    [InlineData("ftp://files.example/report.pdf")]
    [InlineData("tel:+358401234567")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/admin/subscribers/export")]
    [InlineData("//evil.example/x")]
    [InlineData("#top")]
    [InlineData("harbour.example/page")]
    [InlineData("http:harbour.example")]
    [InlineData("\u00a0https://harbour.example/")]
    [InlineData("")]
    [InlineData(null)]
    public void Link_IsRefused_ForAnyOtherSchemeOrARelativeUrl(string? url) => Assert.False(SafeUrl.IsSafeLink(url));

    [Theory]
    [InlineData("mailto:editor@harbour.example")]
    [InlineData("data:image/png;base64,iVBORw0KGgo=")]
    [InlineData("javascript:alert(1)")]
    public void Image_IsRefused_ForAnythingButHttpAndHttps(string url) => Assert.False(SafeUrl.IsSafeImage(url));

    [Fact]
    public void Image_IsAllowed_ForHttps() => Assert.True(SafeUrl.IsSafeImage("https://harbour.example/p.png"));

    [Theory]
    [InlineData("https://harbour.example/a>![t](https://tracker.example/p.png)",
        "https://harbour.example/a%3E![t](https://tracker.example/p.png)")]
    [InlineData("https://harbour.example/a b\n<c>\"d", "https://harbour.example/a%20b%3Cc%3E%22d")]
    [InlineData(" https://harbour.example/ok ", "https://harbour.example/ok")]
    public void WebAddress_IsEscaped_SoNothingCanEndItEarly(string url, string expected) => Assert.Equal(expected, SafeUrl.WebAddress(url));

    [Theory]
    [InlineData("mailto:editor@harbour.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/articles/1")]
    public void WebAddress_IsNull_ForAnythingButAbsoluteHttp(string url) => Assert.Null(SafeUrl.WebAddress(url));
}
