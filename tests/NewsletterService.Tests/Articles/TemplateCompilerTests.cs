using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NewsletterService.Rendering;

namespace NewsletterService.Tests.Articles;

/// <summary>Templates are compiled by a child process and kept on disk; the service renders with what it loads.</summary>
public sealed class TemplateCompilerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("newsletter-templates-").FullName;
    private string Templates => Path.Combine(_root, "templates");
    private string Cache => Path.Combine(_root, "cache");
    private const string Greeting = "@model System.String\n<p>Hello @Model</p>";

    public TemplateCompilerTests() => Directory.CreateDirectory(Templates);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private RazorEmailRenderer Renderer(string? cache = null) =>
        new(Options.Create(new TemplateOptions { Path = Templates, CachePath = cache ?? Cache }),
            new HostingEnvironment { ContentRootPath = _root },
            NullLogger<RazorEmailRenderer>.Instance);

    private void Write(string name, string razor) => File.WriteAllText(Path.Combine(Templates, name + ".cshtml"), razor);

    private int CompiledCount => Directory.Exists(Cache) ? Directory.GetFiles(Cache, "*.dll", SearchOption.AllDirectories).Length : 0;

    [Fact]
    public async Task Render_KeepsTheCompiledTemplateOnDisk_AndStillEncodesTheModel()
    {
        Write("Greeting", Greeting);

        var html = await Renderer().RenderAsync("Greeting", "<Ada>");

        Assert.Equal("<p>Hello &lt;Ada&gt;</p>", html.Trim());
        Assert.Equal(1, CompiledCount);
    }

    [Fact]
    public async Task Render_UsesTheEditedTemplate_AfterARestart()
    {
        Write("Greeting", Greeting);
        await Renderer().RenderAsync("Greeting", "Ada");

        Write("Greeting", "@model System.String\n<h1>Welcome @Model</h1>");
        var html = await Renderer().RenderAsync("Greeting", "Ada");

        Assert.Equal("<h1>Welcome Ada</h1>", html.Trim());
        Assert.Equal(2, CompiledCount);
    }

    [Fact]
    public async Task Render_StillWorks_WhenTheCacheFolderCannotBeCreated()
    {
        Write("Greeting", Greeting);
        var notAFolder = Path.Combine(_root, "a-file");
        File.WriteAllText(notAFolder, "");

        var html = await Renderer(cache: notAFolder).RenderAsync("Greeting", "Ada");

        Assert.Equal("<p>Hello Ada</p>", html.Trim());
    }

    [Fact]
    public async Task Render_NamesTheTemplateAndItsError_WhenTheTemplateDoesNotCompile()
    {
        Write("Broken", "@model System.String\n<p>@Model.NoSuchMember</p>");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Renderer().RenderAsync("Broken", "Ada"));

        Assert.Contains("'Broken'", error.Message);
        Assert.Contains("NoSuchMember", error.Message);
        Assert.Equal(0, CompiledCount);
    }

    [Fact]
    public async Task CompileAll_CompilesEveryTemplateRenderedByName_ButNotTheLayouts()
    {
        Write("Greeting", Greeting);
        Write("Farewell", "@model System.String\n<p>Goodbye @Model</p>");
        Write("_Layout", "<html>@RenderBody()</html>");

        await Renderer().CompileAllAsync(CancellationToken.None);

        Assert.Equal(2, CompiledCount);
    }
}
