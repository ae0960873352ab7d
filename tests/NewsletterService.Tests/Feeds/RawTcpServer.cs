using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NewsletterService.Tests.Feeds;

/// <summary>
/// A bare TCP server on a chosen local address (<see cref="IPAddress.IPv6Any"/>: every local address, IPv4 and IPv6) that answers
/// each connection byte for byte as the test says: any status line, redirects, a non-HTTP banner, or silence. Records what it was asked.
/// </summary>
public sealed class RawTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<string, string?> _answer;
    private readonly string? _banner;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Task _loop;

    /// <summary>The paths asked for, in order (a banner server records each connection as <c>connection</c>).</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    public int Port { get; }

    private RawTcpServer(IPAddress address, Func<string, string?> answer, string? banner)
    {
        (_answer, _banner) = (answer, banner);
        _listener = new TcpListener(address, 0);
        if (address.Equals(IPAddress.IPv6Any)) _listener.Server.DualMode = true;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptAsync);
    }

    /// <param name="answer">The raw response to a request for a path; null: accept and never answer.</param>
    public static RawTcpServer Http(IPAddress address, Func<string, string?> answer) => new(address, answer, null);

    /// <summary>A server that speaks first, as SMTP does, and never speaks HTTP.</summary>
    public static RawTcpServer Banner(IPAddress address, string banner) => new(address, _ => null, banner);

    public static string Ok(string rss) => Status(200, "OK", rss, "Content-Type: application/rss+xml\r\n");

    public static string Redirect(string location) => Status(302, "Found", "", $"Location: {location}\r\n");

    public static string Status(int code, string reason, string body, string headers = "") =>
        $"HTTP/1.1 {code} {reason}\r\n{headers}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try { _ = AnswerAsync(await _listener.AcceptTcpClientAsync(_stop.Token)); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using var connection = client;
        var stream = connection.GetStream();
        try
        {
            if (_banner is not null)
            {
                _requests.Enqueue("connection");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(_banner), _stop.Token);
            }
            var head = await ReadHeadAsync(stream);
            if (_banner is not null) return;
            var path = head.Split(' ') is [_, var target, ..] ? target : "";
            _requests.Enqueue(path);
            if (_answer(path) is { } response) await stream.WriteAsync(Encoding.UTF8.GetBytes(response), _stop.Token);
            else await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
    }

    private async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n") && head.Length < 65536)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0) break;
            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return head.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
