using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace NewsletterService.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay to a server's port whose connections a test can cut at once, as when the client's process is killed:
/// the server sees the connection end without a goodbye (no QUIT, no LOGOUT).
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<TcpClient> _connections = [];
    private readonly int _target;
    private readonly Task _accepting;

    public int Port { get; }

    public TcpRelay(int target)
    {
        _target = target;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { return; }
            var server = new TcpClient();
            await server.ConnectAsync(IPAddress.Loopback, _target);
            _connections.Add(client);
            _connections.Add(server);
            _ = PumpAsync(client.GetStream(), server.GetStream());
            _ = PumpAsync(server.GetStream(), client.GetStream());
        }
    }

    private static async Task PumpAsync(Stream from, Stream to)
    {
        try { await from.CopyToAsync(to); }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { }
    }

    /// <summary>Resets every relayed connection, on both sides.</summary>
    public void Cut()
    {
        foreach (var connection in _connections)
        {
            connection.Client.LingerState = new LingerOption(true, 0); // RST, not FIN
            connection.Dispose();
        }
        _connections.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        Cut();
        await _accepting;
    }
}
