using NewsletterService.Articles;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Articles;

public sealed class PlainTextArticleTests
{
    private static ParsedArticle Parse(string text)
    {
        Assert.True(PlainTextArticle.TryParse(text, out var article, out var errors), string.Join("; ", errors.SelectMany(e => e.Value)));
        return article;
    }

    [Fact]
    public void Import_ReadsCreditHeadlineAndParagraphs_AndDropsTheShowImageButtonText()
    {
        var article = Parse(SampleTexts.Article);

        Assert.Equal(SampleTexts.Credit, article.ImageCredit);
        Assert.Equal(SampleTexts.Title, article.Title);
        var paragraphs = article.Body.Split("\n\n");
        Assert.Equal(3, paragraphs.Length);
        Assert.StartsWith("The covered market by the fish quay", paragraphs[0]);
        Assert.DoesNotContain("show image", article.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Import_HandlesCrlfLineEndingsAByteOrderMarkAndRunsOfBlankLines()
    {
        var messy = "\uFEFF" + SampleTexts.Article.Replace("\n\n", "\n\n\n \n").ReplaceLineEndings("\r\n");

        var article = Parse(messy);

        Assert.Equal(SampleTexts.Title, article.Title);
        Assert.Equal(SampleTexts.Credit, article.ImageCredit);
        Assert.Equal(Parse(SampleTexts.Article).Body, article.Body);
    }

    [Fact]
    public void Import_TakesTheFirstLineAsHeadline_WhenCreditAndShowImageAreMissing()
    {
        var article = Parse("Ferry timetable published\n\nThe new timetable starts in May.\n\nIt adds two sailings.");

        Assert.Null(article.ImageCredit);
        Assert.Equal("Ferry timetable published", article.Title);
        Assert.Equal(2, article.Body.Split("\n\n").Length);
    }

    [Fact]
    public void Import_KeepsTheCredit_WhenTheShowImageLineIsMissing()
    {
        var article = Parse("Ines Varga/Coastline Images\n\nFerry timetable published\n\nThe new timetable starts in May.");

        Assert.Equal("Ines Varga/Coastline Images", article.ImageCredit);
        Assert.Equal("Ferry timetable published", article.Title);
    }

    [Fact]
    public void Import_DropsAShowImageLineThatHasNoCredit()
    {
        var article = Parse("show image\n\nFerry timetable published\n\nThe new timetable starts in May.");

        Assert.Null(article.ImageCredit);
        Assert.Equal("Ferry timetable published", article.Title);
    }

    [Fact]
    public void Import_KeepsTypographicQuotesAndEditorialMarksAsText()
    {
        var article = Parse("Headline\n\n“It is on hold [sic],” she said, *twice*.");

        Assert.Equal("<p>“It is on hold [sic],” she said, *twice*.</p>\n",
            NewsletterService.Rendering.ArticleMarkdown.ToHtml(article.Body));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF\r\n\r\n")]
    [InlineData("Marta Lind/Harbour Photo Agency\nshow image\n\n")]
    public void Import_RejectsTextWithoutHeadline(string text)
    {
        Assert.False(PlainTextArticle.TryParse(text, out _, out var errors));
        Assert.Contains("title", errors.Keys);
    }

    [Fact]
    public void Import_RejectsAHeadlineWithoutBody()
    {
        Assert.False(PlainTextArticle.TryParse("Marta Lind/Harbour Photo Agency\nshow image\n\nOnly a headline\n", out _, out var errors));
        Assert.Equal(["body"], errors.Keys);
    }
}
