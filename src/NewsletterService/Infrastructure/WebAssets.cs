using System.Collections.Frozen;
using System.Security.Cryptography;

namespace NewsletterService.Dashboard;

/// <summary>
/// The dashboard's stylesheet and script (served from <c>/admin/assets</c>) and the reader pages' stylesheet (from
/// <c>/assets</c>, so reader pages never ask anything of <c>/admin</c>), embedded in the binary (no CDN).
/// </summary>
public static class DashboardAssets
{
    private sealed record Asset(byte[] Bytes, string ContentType, string Version, string Folder);

    private static readonly FrozenDictionary<string, Asset> Assets = new Dictionary<string, Asset>
    {
        ["dashboard.css"] = Load("dashboard.css", "text/css; charset=utf-8", "/admin/assets"),
        ["dashboard.js"] = Load("dashboard.js", "text/javascript; charset=utf-8", "/admin/assets"),
        ["public.css"] = Load("public.css", "text/css; charset=utf-8", "/assets"), // reader pages, error pages, dev inbox
    }.ToFrozenDictionary();

    /// <summary>The asset's address with a content hash, so browsers may cache it for a year.</summary>
    public static string Url(string name) => $"{Assets[name].Folder}/{name}?v={Assets[name].Version}";

    public static WebApplication MapDashboardAssets(this WebApplication app)
    {
        foreach (var folder in Assets.Values.Select(a => a.Folder).Distinct())
            app.MapGet(folder + "/{name}", (string name, HttpContext http) =>
            {
                if (!Assets.TryGetValue(name, out var asset) || asset.Folder != folder) return Results.NotFound();
                http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                return Results.Bytes(asset.Bytes, asset.ContentType);
            }).AllowAnonymous();
        return app;
    }

    private static Asset Load(string name, string contentType, string folder)
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream("dashboard/" + name)
            ?? throw new InvalidOperationException($"The embedded dashboard asset {name} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        return new Asset(bytes, contentType, Convert.ToHexStringLower(SHA256.HashData(bytes))[..12], folder);
    }
}
