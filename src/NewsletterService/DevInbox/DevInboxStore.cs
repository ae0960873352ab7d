using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using MimeKit;

namespace NewsletterService.DevInbox;

public sealed record CapturedMail(long Id, DateTimeOffset ReceivedAt, string From, string To, string Subject, byte[] Raw)
{
    public MimeMessage Parse() => MimeMessage.Load(new MemoryStream(Raw));
}

/// <summary>The newest mails the dev inbox received, up to <c>DevInbox:Capacity</c>.</summary>
public sealed class DevInboxStore(IOptions<DevInboxOptions> options, TimeProvider time)
{
    private readonly ConcurrentQueue<CapturedMail> _mails = new();
    private long _nextId;

    public void Add(byte[] raw)
    {
        var message = MimeMessage.Load(new MemoryStream(raw));
        _mails.Enqueue(new CapturedMail(Interlocked.Increment(ref _nextId), time.GetUtcNow(),
            message.From.ToString(), message.To.ToString(), message.Subject ?? "", raw));
        while (_mails.Count > options.Value.Capacity) _mails.TryDequeue(out _);
    }

    public IReadOnlyList<CapturedMail> Newest() => _mails.Reverse().ToList();

    public CapturedMail? Find(long id) => _mails.FirstOrDefault(m => m.Id == id);
}
