using System.Linq.Expressions;

namespace NewsletterService.Articles;

public sealed class Article
{
    public long Id { get; set; }
    public required string Title { get; set; }
    public string? Byline { get; set; }
    public string? ImageCredit { get; set; }

    /// <summary>The mail's subject and preheader when they should differ from the headline and the standfirst.</summary>
    public string? Subject { get; set; }
    public string? Preheader { get; set; }

    /// <summary>
    /// Imported from what a feed held when it was registered: never sent, and as old as its publication time says (it is no
    /// news to digests that ran since), where another back-dated article counts from its import.
    /// </summary>
    public bool IsBacklog { get; set; }

    /// <summary>When an editor took it back: not on the web, in no digest, not sendable; null while published.</summary>
    public DateTime? UnpublishedAt { get; set; }

    /// <summary>The article text in Markdown; its first paragraph is the standfirst.</summary>
    public required string Body { get; set; }
    public DateTime PublishedAt { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>Where an imported article came from (a feed item's link), and the key that keeps it from being imported twice.</summary>
    public string? SourceUrl { get; set; }
    public string? SourceKey { get; set; }

    /// <summary>The lists the article is for; none: every subscriber.</summary>
    public List<ArticleList> Lists { get; set; } = [];

    /// <summary>
    /// When readers may first see it: its publication time, or its import time for one back-dated (but not for a feed's backlog).
    /// </summary>
    public DateTime AvailableAt => PublishedAt > CreatedAt || IsBacklog ? PublishedAt : CreatedAt;

    public bool IsPublished => UnpublishedAt is null;

    /// <summary><see cref="AvailableAt"/> in SQL, for an article aliased <c>a</c>; NULL (no comparison holds) while unpublished.</summary>
    public const string AvailableAtSql =
        """(CASE WHEN a."UnpublishedAt" IS NOT NULL THEN NULL WHEN a."PublishedAt" > a."CreatedAt" OR a."IsBacklog" THEN a."PublishedAt" """
        + """ELSE a."CreatedAt" END)""";

    /// <summary>As a query: published, and available after <paramref name="from"/>, up to <paramref name="upTo"/>.</summary>
    public static Expression<Func<Article, bool>> AvailableBetween(DateTime from, DateTime upTo) =>
        a => a.UnpublishedAt == null
            && (a.PublishedAt > a.CreatedAt || a.IsBacklog ? a.PublishedAt : a.CreatedAt) > from
            && (a.PublishedAt > a.CreatedAt || a.IsBacklog ? a.PublishedAt : a.CreatedAt) <= upTo;

    /// <summary>Whether a reader on <paramref name="memberOf"/> gets it: an article for no list is for everyone.</summary>
    public bool IsFor(IReadOnlySet<long> memberOf) => Lists.Count == 0 || Lists.Any(l => memberOf.Contains(l.ListId));
}

public sealed class ArticleList
{
    public long ArticleId { get; set; }
    public long ListId { get; set; }
}
