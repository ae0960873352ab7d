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
    private readonly FileSystemRazorProject _project;

    public RazorEmailRenderer(IOptions<TemplateOptions> options, IHostEnvironment environment, ILogger<RazorEmailRenderer> log)
    {
        var project = _project = new FileSystemRazorProject(options.Value.ResolvePath(environment.ContentRootPath), ".cshtml");
        var razor = new RazorLightOptions
        {
            CachingProvider = new MemoryCachingProvider(), DisableEncoding = false, EnableDebugMode = false,
        };
        var compiler = new TemplateCompiler(project, options.Value.ResolveCachePath(), log);
        _engine = new RazorLightEngine(new EngineHandler(razor, compiler, new TemplateFactoryProvider(), razor.CachingProvider));
    }

    /// <summary>
    /// Compiles (or loads from the disk cache) every template that is rendered by name: all but the layouts and partials
    /// (<c>_Name.cshtml</c>), which are compiled with the templates that use them. Each is then kept in memory.
    /// </summary>
    public async Task CompileAllAsync(CancellationToken ct)
    {
        var templates = Directory.EnumerateFiles(_project.Root, "*" + _project.Extension)
            .Select(Path.GetFileNameWithoutExtension).Where(name => !name!.StartsWith('_')).Order(StringComparer.Ordinal);
        foreach (var template in templates)
        {
            ct.ThrowIfCancellationRequested();
            await _engine.CompileTemplateAsync(template);
        }
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
