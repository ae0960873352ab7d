using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyModel;
using Microsoft.Extensions.Primitives;
using RazorLight;
using RazorLight.Caching;
using RazorLight.Compilation;
using RazorLight.Generation;
using RazorLight.Razor;

namespace NewsletterService.Rendering;

/// <summary>
/// RazorLight's template compiler, with the compiling done in a short-lived child process (this executable,
/// <c>compile-template</c>) that leaves the assembly on disk, keyed by this build and the templates' source. This process
/// only loads the small compiled template and never runs Razor's code generator or Roslyn: those cost ~60 MB of code and
/// metadata that a process never gives back. A restart, or a second process on the machine, finds the templates compiled.
/// Should the child not run at all (no writable cache folder, no way to start it), the template is compiled here, as
/// RazorLight would: mail still goes out, at the cost of the memory.
/// </summary>
public sealed class TemplateCompiler(FileSystemRazorProject project, string cacheRoot, ILogger log) : IRazorTemplateCompiler
{
    public const string Command = "compile-template";
    private static readonly TimeSpan CompileTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// What a template can use: the framework's base types, collections, LINQ, text encoding, RazorLight and the
    /// models. Roslyn keeps the metadata of every reference in memory; the app's other 350 would only slow it down.
    /// </summary>
    private static readonly HashSet<string> TemplateReferences = new(StringComparer.OrdinalIgnoreCase)
    {
        "netstandard", "System.Runtime", "System.Collections", "System.Linq", "System.Text.Encodings.Web", "System.Web.HttpUtility",
        "Microsoft.AspNetCore.Html.Abstractions", "Microsoft.CSharp", "System.Linq.Expressions", "System.Dynamic.Runtime",
        "System.ObjectModel",
        "RazorLight", "NewsletterService",
    };

    private static Assembly App => typeof(TemplateCompiler).Assembly;
    private readonly SemaphoreSlim _compiling = new(1, 1);
    private IRazorTemplateCompiler? _inProcess;

    public async Task<CompiledTemplateDescriptor> CompileAsync(string templateKey)
    {
        var item = await project.GetItemAsync(templateKey);
        if (!item.Exists) throw new TemplateNotFoundException($"There is no template '{templateKey}' in {project.Root}.");
        string compiled;
        try
        {
            compiled = await CompiledAsync(templateKey);
        }
        catch (Exception e) when (e is not TemplateCompilationException)
        {
            log.LogWarning(e, "Template {Template} could not be compiled by a child process; compiling it in this process", templateKey);
            _inProcess ??= Engine(project.Root, null).Handler.Compiler;
            return await _inProcess.CompileAsync(templateKey);
        }
        var assembly = Assembly.Load(await File.ReadAllBytesAsync(compiled));
        // The engine caches the template until its file changes (ExpirationToken); edited, it is compiled anew.
        return new CompiledTemplateDescriptor
        {
            TemplateKey = item.Key, ExpirationToken = item.ExpirationToken,
            TemplateAttribute = assembly.GetCustomAttribute<RazorLightTemplateAttribute>(),
        };
    }

    public ICompilationService CompilationService => throw new NotSupportedException("Templates are compiled by a child process.");

    /// <summary>The compiled assembly of a template: from the disk cache, or compiled now by the child.</summary>
    private async Task<string> CompiledAsync(string key)
    {
        var file = Path.Combine(cacheRoot, App.ManifestModule.ModuleVersionId.ToString("N"), SourceHash(key) + ".dll");
        if (File.Exists(file)) return file;
        await _compiling.WaitAsync();
        try
        {
            if (!File.Exists(file)) await CompileInChildAsync(key, file);
            return file;
        }
        finally
        {
            _compiling.Release();
        }
    }

    private async Task CompileInChildAsync(string key, string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var (host, prefix) = Self();
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in prefix.Concat([Command, project.Root, key, file])) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_TieredCompilation"] = "1"; // a one-off run: quick JIT beats optimised code
        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the template compiler.");
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(CompileTimeout))
        {
            try
            {
                await child.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                child.Kill(true);
                throw new InvalidOperationException($"Compiling template '{key}' took longer than {CompileTimeout}.");
            }
        }
        if (child.ExitCode == 2)
        {
            var errors = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
#pragma warning disable CS0618 // the diagnostics' Roslyn spans stay in the child; their text is what we report
            throw new TemplateCompilationException($"Template '{key}' does not compile.", errors);
#pragma warning restore CS0618
        }
        if (child.ExitCode != 0 || !File.Exists(file))
            throw new InvalidOperationException($"Template '{key}' could not be compiled: {await output}{await error}".Trim());
    }

    /// <summary>The key and every template's source: a template's code depends on its imports and the models only.</summary>
    private string SourceHash(string key)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(key));
        var files = Directory.EnumerateFiles(project.Root, "*" + project.Extension, SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(project.Root, file)));
            hash.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..32];
    }

    /// <summary>How to run this executable again: its own apphost, or the dotnet host with the app's dll.</summary>
    private static (string Host, string[] Prefix) Self()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var name = Path.GetFileNameWithoutExtension(process);
        if (name == Path.GetFileNameWithoutExtension(App.Location)) return (process, []);
        return (name == "dotnet" ? process : "dotnet", ["exec", App.Location]);
    }

    /// <summary>The child: <c>compile-template ROOT KEY OUTPUT.dll</c>. Exit 2: the template's errors, one a line.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [Command, var root, var key, var output]) return 1;
        var emitted = new Emitted();
        try
        {
            await Engine(root, emitted).CompileTemplateAsync(key);
        }
        catch (TemplateCompilationException e)
        {
            foreach (var line in e.CompilationErrors) Console.WriteLine(line.ReplaceLineEndings(" "));
            return 2;
        }
        var temporary = $"{output}.{Environment.ProcessId}.tmp";
        await File.WriteAllBytesAsync(temporary, emitted.Assembly!);
        File.Move(temporary, output, overwrite: true); // whole or not at all, also when two processes compile at once
        return 0;
    }

    /// <summary>RazorLight compiling in this process, against only the references a template needs.</summary>
    private static RazorLightEngine Engine(string root, ICachingProvider? cache)
    {
        var builder = new RazorLightEngineBuilder()
            .UseFileSystemProject(root, ".cshtml")
            .SetOperatingAssembly(App)
            .ExcludeAssemblies(DependencyContext.Load(App)?.CompileLibraries
                .Select(l => l.Name)
                .Where(n => !TemplateReferences.Contains(n))
                .ToArray() ?? []);
        return (cache is null ? builder.UseMemoryCachingProvider() : builder.UseCachingProvider(cache)).Build();
    }

    /// <summary>Catches the assembly RazorLight emits; caches nothing.</summary>
    private sealed class Emitted : ICachingProvider, IPrecompileCallback
    {
        public byte[]? Assembly { get; private set; }
        public void Invoke(IGeneratedRazorTemplate template, byte[] rawAssembly, byte[] rawSymbolStore) => Assembly = rawAssembly;
        public TemplateCacheLookupResult RetrieveTemplate(string key) => new();
        public void CacheTemplate(string key, Func<ITemplatePage> pageFactory, IChangeToken expirationToken) { }
        public bool Contains(string key) => false;
        public void Remove(string key) { }
    }
}
