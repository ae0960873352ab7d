// A plain MailKit sender, the ceiling bench/run.sh measures the service against: N messages over C pooled connections
// (NoDelay, as the service's) into HOST:PORT, each a fresh MimeMessage built from the given message's headers and its
// HTML and text parts (so the same content and size), to reader0@bench.test ... Prints seconds and CPU seconds.
//   MailKitLoop MESSAGE.eml N CONNECTIONS HOST PORT
using System.Diagnostics;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

if (args is not [var file, var n, var c, var host, var p])
{
    Console.Error.WriteLine("MailKitLoop MESSAGE.eml N CONNECTIONS HOST PORT");
    return 1;
}
var (count, connections, port) = (int.Parse(n), int.Parse(c), int.Parse(p));
var template = await MimeMessage.LoadAsync(file);
var (html, text) = (template.HtmlBody, template.TextBody);
var headers = template.Headers.Where(h => h.Id is not (HeaderId.To or HeaderId.MessageId or HeaderId.Date or HeaderId.ContentType
    or HeaderId.ContentTransferEncoding or HeaderId.MimeVersion)).ToList();

MimeMessage Message(int i)
{
    var message = new MimeMessage();
    foreach (var header in headers) message.Headers.Add(header.Field, header.Value);
    message.To.Add(new MailboxAddress($"Reader {i}", $"reader{i}@bench.test"));
    message.Body = new BodyBuilder { HtmlBody = html, TextBody = text }.ToMessageBody();
    return message;
}

async Task<SmtpClient> ConnectAsync()
{
    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    await socket.ConnectAsync(host, port);
    var client = new SmtpClient();
    await client.ConnectAsync(socket, host, port, SecureSocketOptions.None);
    return client;
}

var clients = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => ConnectAsync()));
var next = -1;
var cpu = Process.GetCurrentProcess().TotalProcessorTime;
var clock = Stopwatch.StartNew();
await Task.WhenAll(clients.Select(async client =>
{
    for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next)) await client.SendAsync(Message(i));
}));
clock.Stop();
cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
foreach (var client in clients) await client.DisconnectAsync(true);
Console.WriteLine($"{clock.Elapsed.TotalSeconds:F3} {cpu.TotalSeconds:F3}");
return 0;
