namespace NewsletterService.Rendering;

/// <summary>Section <c>Templates</c>: where the Razor email templates are.</summary>
public sealed class TemplateOptions
{
    public const string Section = "Templates";

    /// <summary>Folder of <c>.cshtml</c> templates; relative paths are tried against the content root, then beside the binary.</summary>
    public string Path { get; set; } = "templates";

    /// <summary>Where compiled templates are kept between runs; empty: a folder in the system's temporary directory.</summary>
    public string CachePath { get; set; } = "";

    /// <summary>
    /// Compile every template in the background as the service starts, so the first preview or campaign after a start
    /// does not wait for the compiler.
    /// </summary>
    public bool CompileAtStart { get; set; } = true;

    public string ResolveCachePath() => CachePath is { Length: > 0 } path
        ? path
        : System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"newsletterservice-{Environment.UserName}", "templates");

    public string ResolvePath(string contentRoot)
    {
        if (System.IO.Path.IsPathRooted(Path)) return Path;
        var beside = System.IO.Path.Combine(contentRoot, Path);
        return Directory.Exists(beside) ? beside : System.IO.Path.Combine(AppContext.BaseDirectory, Path);
    }
}
