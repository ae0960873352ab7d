namespace NewsletterService.Tests.Security;

/// <summary>Every way of slipping an unsafe URL into article Markdown that issue #14 lists, and what a reader must see instead.</summary>
public static class HostileMarkdown
{
    /// <summary>A paragraph of links that must stay links: an https link, an https image and an e-mail autolink.</summary>
    public const string Safe =
        "See the [safe link](https://harbour.example/safe), ![safe picture](https://harbour.example/p.png) and <editor@harbour.example>.";

    public static readonly string[] SafeLinks = ["https://harbour.example/safe", "mailto:editor@harbour.example"];
    public static readonly string[] SafeImages = ["https://harbour.example/p.png"];

    /// <summary>Text found in the hostile URLs and nowhere else: none of it may reach a reader except as the text shown.</summary>
    public static readonly string[] Payloads = ["alert(", "msgbox(", "base64,", "/admin/", "files.example", "+358"];

    /// <summary>The Markdown, and the text shown in its place (whitespace collapsed).</summary>
    public static TheoryData<string, string> Variants() => new()
    {
        { "[click](javascript:alert(1))", "click" },
        { "[click](JaVaScRiPt:alert(1))", "click" },
        { "[click](java&#115;cript:alert(1))", "click" },
        { "[click](&#106;avascript:alert(1))", "click" },
        { "[click](javascript&colon;alert(1))", "click" },
        { "[click](< javascript:alert(1)>)", "click" },
        { "[click](<java\tscript:alert(1)>)", "click" },
        { "[click](<java\nscript:alert(1)>)", "[click](<java script:alert(1)>)" },
        { "[click](%6Aavascript:alert(1))", "click" },
        { "[click](/admin/subscribers/export)", "click" },
        { "[*bold* click](vbscript:msgbox(1))", "bold click" },
        { "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "click" },
        { "![pic](javascript:alert(1))", "pic" },
        { "![pic](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)", "pic" },
        { "[![pic](javascript:alert(1))](javascript:alert(2))", "pic" },
        { "<javascript:alert(1)>", "javascript:alert(1)" },
        { "<JAVASCRIPT:alert(1)>", "JAVASCRIPT:alert(1)" },
        { "[files](ftp://files.example/report.pdf)", "files" },
        { "ftp://files.example/report.pdf", "ftp://files.example/report.pdf" },
        { "tel:+358401234567", "tel:+358401234567" },
        { "[click][r]\n\n[r]: javascript:alert(1)", "click" },
    };

    /// <summary>The Markdown of each variant alone.</summary>
    public static TheoryData<string> Sources() => new(Variants().Select(row => (string)row[0]));
}
