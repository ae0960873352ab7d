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
        var razor = new RazorLightOptions
        {
            CachingProvider = new MemoryCachingProvider(), DisableEncoding = false, EnableDebugMode = false,
        };
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
