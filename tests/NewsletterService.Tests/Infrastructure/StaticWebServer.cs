using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace NewsletterService.Tests.Infrastructure;

/// <summary>A tiny real HTTP server on loopback serving whatever a test puts at a path (feeds, for example).</summary>
public sealed class StaticWebServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly ConcurrentDictionary<string, (string ContentType, string Body)> _pages = new();

    public string BaseUrl { get; }

    public StaticWebServer()
    {
        BaseUrl = $"http://127.0.0.1:{SmtpCapture.FreePort()}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Put(string path, string contentType, string body)
    {
        _pages[path] = (contentType, body);
        return BaseUrl + path;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            using var response = context.Response;
            if (_pages.TryGetValue(context.Request.Url!.AbsolutePath, out var page))
            {
                var bytes = Encoding.UTF8.GetBytes(page.Body);
                response.ContentType = page.ContentType;
                await response.OutputStream.WriteAsync(bytes);
            }
            else response.StatusCode = 404;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
