namespace NewsletterService.Tests.Infrastructure;

/// <summary>Articles in the pasted plain-text format, written for these tests.</summary>
public static class SampleTexts
{
    public const string Credit = "Ines Varga/Coastline Images";
    public const string Title = "Harbour market reopens after storm repairs, with “fair rents” promised";

    public static readonly string Article = $"""
        {Credit}
        show image

        {Title}

        The covered market by the fish quay reopened on Saturday, four months after a winter storm tore part of its roof away.

        Traders said footfall was “better than before the storm”, though several stalls remain empty while repairs [sic] continue.

        The market’s manager, Pekka Laine, said rents would be frozen for two years. “Nobody should lose a stall because of the weather,” he said.
        """;
}
