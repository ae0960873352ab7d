using System.Threading.Channels;

namespace NewsletterService.Tracking;

/// <summary>An open or click as the endpoint saw it; <see cref="Machine"/> when its client already gave it away.</summary>
public readonly record struct TrackingHit(ActivityKind Kind, long CampaignId, long SubscriberId, long? LinkId, bool Machine, DateTime At);

/// <summary>
/// Hits waiting for <see cref="TrackingWriter"/>: the endpoints only add to it, so they answer without a database round trip.
/// Past <see cref="Capacity"/> waiting hits (the database far behind) new hits are dropped rather than memory filled.
/// </summary>
public sealed class TrackingBuffer
{
    public const int Capacity = 200_000;

    private readonly Channel<TrackingHit> _hits = Channel.CreateBounded<TrackingHit>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Add(TrackingHit hit) => _hits.Writer.TryWrite(hit);

    public ChannelReader<TrackingHit> Reader => _hits.Reader;

    /// <summary>No more hits: the writer drains what is here and stops.</summary>
    public void Complete() => _hits.Writer.TryComplete();
}
