using Microsoft.Extensions.Options;
using RazorLight;
using RazorLight.Caching;
using RazorLight.Compilation;
using RazorLight.Razor;

namespace NewsletterService.Rendering;

/// <summary>
/// RazorLight over the <c>templates/</c> folder; each template is compiled once, in a child process
/// (<see cref="TemplateCompiler"/>), and kept on disk and in memory.
/// </summary>
public sealed class RazorEmailRenderer : IEmailRenderer
{
    private readonly RazorLightEngine _engine;

    public RazorEmailRenderer(IOptions<TemplateOptions> options, IHostEnvironment environment, ILogger<RazorEmailRenderer> log)
    {
        var project = new FileSystemRazorProject(options.Value.ResolvePath(environment.ContentRootPath), ".cshtml");
        var razor = new RazorLightOptions { CachingProvider = new MemoryCachingProvider(), DisableEncoding = false, EnableDebugMode = false };
        var compiler = new TemplateCompiler(project, options.Value.ResolveCachePath(), log);
        _engine = new RazorLightEngine(new EngineHandler(razor, compiler, new TemplateFactoryProvider(), razor.CachingProvider));
    }

    public async Task<string> RenderAsync<TModel>(string template, TModel model, CancellationToken ct = default)
    {
        try
        {
            return await _engine.CompileRenderAsync(template, model);
        }
        catch (RazorLight.Compilation.TemplateCompilationException e)
        {
            // RazorLight's own message only says "see CompilationErrors": name the template and its errors instead.
            throw new InvalidOperationException($"Template '{template}' does not compile: {string.Join("; ", e.CompilationErrors)}", e);
        }
    }
}

/// <summary>Section <c>Templates</c>: where the Razor email templates are.</summary>
public sealed class TemplateOptions
{
    public const string Section = "Templates";

    /// <summary>Folder of <c>.cshtml</c> templates; relative paths are tried against the content root, then beside the binary.</summary>
    public string Path { get; set; } = "templates";

    /// <summary>Where compiled templates are kept between runs; empty: a folder in the system's temporary directory.</summary>
    public string CachePath { get; set; } = "";

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
