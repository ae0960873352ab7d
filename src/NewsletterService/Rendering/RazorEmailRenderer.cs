using Microsoft.Extensions.DependencyModel;
using Microsoft.Extensions.Options;
using RazorLight;

namespace NewsletterService.Rendering;

/// <summary>RazorLight over the <c>templates/</c> folder; each template is compiled once and cached.</summary>
public sealed class RazorEmailRenderer : IEmailRenderer
{
    /// <summary>
    /// What a template can use: the framework's base types, collections, LINQ, text encoding, RazorLight and the
    /// models. Roslyn keeps the metadata of every reference in memory; the app's other 350 (ASP.NET Core, EF Core,
    /// Hangfire, ...) would cost ~60 MB for nothing.
    /// </summary>
    private static readonly HashSet<string> TemplateReferences = new(StringComparer.OrdinalIgnoreCase)
    {
        "netstandard", "System.Runtime", "System.Collections", "System.Linq", "System.Text.Encodings.Web", "System.Web.HttpUtility",
        "Microsoft.AspNetCore.Html.Abstractions", "Microsoft.CSharp", "System.Linq.Expressions", "System.Dynamic.Runtime", "System.ObjectModel",
        "RazorLight", "NewsletterService",
    };

    private readonly RazorLightEngine _engine;

    public RazorEmailRenderer(IOptions<TemplateOptions> options, IHostEnvironment environment)
    {
        var root = options.Value.ResolvePath(environment.ContentRootPath);
        _engine = new RazorLightEngineBuilder()
            .UseFileSystemProject(root, ".cshtml")
            .SetOperatingAssembly(typeof(RazorEmailRenderer).Assembly)
            .ExcludeAssemblies(NotForTemplates())
            .UseMemoryCachingProvider()
            .Build();
    }

    private static string[] NotForTemplates() =>
        DependencyContext.Load(typeof(RazorEmailRenderer).Assembly)?.CompileLibraries
            .Select(l => l.Name).Where(name => !TemplateReferences.Contains(name)).ToArray() ?? [];

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

    public string ResolvePath(string contentRoot)
    {
        if (System.IO.Path.IsPathRooted(Path)) return Path;
        var beside = System.IO.Path.Combine(contentRoot, Path);
        return Directory.Exists(beside) ? beside : System.IO.Path.Combine(AppContext.BaseDirectory, Path);
    }
}
