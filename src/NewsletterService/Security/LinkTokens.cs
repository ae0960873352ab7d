using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace NewsletterService.Security;

/// <summary>
/// What a token opens. The id in the token is a subscriber's, except for <see cref="Article"/>: a list-only article's id.
/// <see cref="Open"/> and <see cref="Click"/> exist only as campaign tokens (see <see cref="LinkTokens.CreateForCampaign"/>).
/// </summary>
public enum TokenPurpose : byte { Confirm = 1, Unsubscribe = 2, Preferences = 3, Article = 4, Open = 5, Click = 6 }

/// <summary>A token read back: whose it is and, for a campaign token, the campaign and (a click's) tracked link.</summary>
public readonly record struct LinkToken(long Id, long? CampaignId, long? LinkId);

/// <summary>
/// Signed, purpose-bound tokens for links in mails, base64url, at most 55 characters. Plain: [purpose][id][expiry] +
/// HMAC-SHA256 (128 bits). A campaign token sets the purpose's high bit and carries [subscriber][campaign], and for a click
/// [link] too, instead of an expiry. A token made for one purpose never passes as another, and any changed byte fails the signature.
/// </summary>
public sealed class LinkTokens(SigningKey key, TimeProvider time)
{
    private const byte CampaignForm = 0x80;
    private const int MacLength = 16;
    private const int ShortPayload = 1 + 8 + 8, LongPayload = ShortPayload + 8;

    public string Create(TokenPurpose purpose, long id, TimeSpan? lifetime = null)
    {
        var expires = lifetime is { } l ? time.GetUtcNow().Add(l).ToUnixTimeSeconds() : 0;
        return Sign((byte)purpose, id, expires, null);
    }

    /// <summary>A reader's token that names the campaign its mail belongs to (and for a click, the tracked link); it does not expire.</summary>
    public string CreateForCampaign(TokenPurpose purpose, long subscriberId, long campaignId, long? linkId = null) =>
        Sign((byte)((byte)purpose | CampaignForm), subscriberId, campaignId, purpose == TokenPurpose.Click ? linkId ?? 0 : null);

    /// <summary>Reads the subscriber (or article) id of a plain or a campaign token of <paramref name="purpose"/>.</summary>
    public bool TryRead(string? token, TokenPurpose purpose, out long id)
    {
        var read = Read(token, purpose);
        id = read?.Id ?? 0;
        return read is not null;
    }

    /// <summary>A plain or campaign token of <paramref name="purpose"/>, or null when it is not one (or expired).</summary>
    public LinkToken? Read(string? token, TokenPurpose purpose)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64) return null;
        byte[] bytes;
        try { bytes = WebEncoders.Base64UrlDecode(token); }
        catch (FormatException) { return null; }
        var payload = bytes.Length - MacLength;
        if (payload is not (ShortPayload or LongPayload)) return null;

        Span<byte> expected = stackalloc byte[MacLength];
        Mac(bytes.AsSpan(0, payload), expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(payload))) return null;
        var id = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        var second = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(9));
        var click = purpose == TokenPurpose.Click;
        if (bytes[0] == (byte)((byte)purpose | CampaignForm) && (payload == LongPayload) == click)
            return new LinkToken(id, second, click ? BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(17)) : null);
        if (bytes[0] != (byte)purpose || payload != ShortPayload || purpose is TokenPurpose.Open or TokenPurpose.Click) return null;
        if (second != 0 && time.GetUtcNow().ToUnixTimeSeconds() > second) return null;
        return new LinkToken(id, null, null);
    }

    private string Sign(byte purpose, long id, long second, long? third)
    {
        Span<byte> token = stackalloc byte[(third is null ? ShortPayload : LongPayload) + MacLength];
        var payload = token.Length - MacLength;
        token[0] = purpose;
        BinaryPrimitives.WriteInt64BigEndian(token[1..], id);
        BinaryPrimitives.WriteInt64BigEndian(token[9..], second);
        if (third is { } t) BinaryPrimitives.WriteInt64BigEndian(token[17..], t);
        Mac(token[..payload], token[payload..]);
        return WebEncoders.Base64UrlEncode(token.ToArray());
    }

    private void Mac(ReadOnlySpan<byte> payload, Span<byte> mac)
    {
        Span<byte> full = stackalloc byte[32];
        HMACSHA256.HashData(key.Bytes, payload, full);
        full[..MacLength].CopyTo(mac);
    }
}
