using Microsoft.Extensions.Options;
using RazorLight;

namespace NewsletterService.Rendering;

/// <summary>RazorLight over the <c>templates/</c> folder; each template is compiled once and cached.</summary>
public sealed class RazorEmailRenderer : IEmailRenderer
{
    private readonly RazorLightEngine _engine;

    public RazorEmailRenderer(IOptions<TemplateOptions> options, IHostEnvironment environment)
    {
        var root = options.Value.ResolvePath(environment.ContentRootPath);
        _engine = new RazorLightEngineBuilder()
            .UseFileSystemProject(root, ".cshtml")
            .SetOperatingAssembly(typeof(RazorEmailRenderer).Assembly)
            .UseMemoryCachingProvider()
            .Build();
    }

    public Task<string> RenderAsync<TModel>(string template, TModel model, CancellationToken ct = default) =>
        _engine.CompileRenderAsync(template, model);
}

/// <summary>Section <c>Templates</c>: where the Razor email templates are.</summary>
public sealed class TemplateOptions
{
    public const string Section = "Templates";

    /// <summary>Folder of <c>.cshtml</c> templates; relative paths are tried against the content root, then beside the binary.</summary>
    public string Path { get; set; } = "templates";

    public string ResolvePath(string contentRoot)
    {
        if (System.IO.Path.IsPathRooted(Path)) return Path;
        var beside = System.IO.Path.Combine(contentRoot, Path);
        return Directory.Exists(beside) ? beside : System.IO.Path.Combine(AppContext.BaseDirectory, Path);
    }
}
