using System.Collections.Frozen;
using System.Security.Cryptography;

namespace NewsletterService.Infrastructure;

/// <summary>
/// The web pages' static files, embedded in the binary (no CDN): the dashboard's stylesheet and script (served from
/// <c>/admin/assets</c>) and the reader pages' stylesheet (from <c>/assets</c>, so reader pages never ask anything of <c>/admin</c>).
/// </summary>
public static class WebAssets
{
    private sealed record Asset(byte[] Bytes, string ContentType, string Version, string Folder);

    private static readonly FrozenDictionary<string, Asset> All = new Dictionary<string, Asset>
    {
        ["dashboard.css"] = Load("dashboard.css", "text/css; charset=utf-8", "/admin/assets"),
        ["dashboard.js"] = Load("dashboard.js", "text/javascript; charset=utf-8", "/admin/assets"),
        ["public.css"] = Load("public.css", "text/css; charset=utf-8", "/assets"), // reader pages, error pages, dev inbox
    }.ToFrozenDictionary();

    /// <summary>The asset's address with a content hash, so browsers may cache it for a year.</summary>
    public static string Url(string name) => $"{All[name].Folder}/{name}?v={All[name].Version}";

    public static WebApplication MapWebAssets(this WebApplication app)
    {
        foreach (var folder in All.Values.Select(a => a.Folder).Distinct())
            app.MapGet(folder + "/{name}", (string name, HttpContext http) =>
            {
                if (!All.TryGetValue(name, out var asset) || asset.Folder != folder) return Results.NotFound();
                http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                return Results.Bytes(asset.Bytes, asset.ContentType);
            }).AllowAnonymous();
        return app;
    }

    private static Asset Load(string name, string contentType, string folder)
    {
        using var stream = typeof(WebAssets).Assembly.GetManifestResourceStream("assets/" + name)
            ?? throw new InvalidOperationException($"The embedded asset {name} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        return new Asset(bytes, contentType, Convert.ToHexStringLower(SHA256.HashData(bytes))[..12], folder);
    }
}
