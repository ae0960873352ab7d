using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace NewsletterService.Security;

/// <summary>
/// What a token opens. The id in the token is a subscriber's, except for <see cref="Article"/>: a list-only article's id.
/// </summary>
public enum TokenPurpose : byte { Confirm = 1, Unsubscribe = 2, Preferences = 3, Article = 4 }

/// <summary>
/// Signed, purpose-bound tokens for links in mails: [purpose][id][expiry] + HMAC-SHA256 (128 bits),
/// base64url. A token made for one purpose never passes as another, and any changed byte fails the signature.
/// </summary>
public sealed class LinkTokens(SigningKey key, TimeProvider time)
{
    private const int PayloadLength = 1 + 8 + 8;
    private const int MacLength = 16;

    public string Create(TokenPurpose purpose, long id, TimeSpan? lifetime = null)
    {
        Span<byte> token = stackalloc byte[PayloadLength + MacLength];
        token[0] = (byte)purpose;
        BinaryPrimitives.WriteInt64BigEndian(token[1..], id);
        var expires = lifetime is { } l ? time.GetUtcNow().Add(l).ToUnixTimeSeconds() : 0;
        BinaryPrimitives.WriteInt64BigEndian(token[9..], expires);
        Sign(token[..PayloadLength], token[PayloadLength..]);
        return WebEncoders.Base64UrlEncode(token.ToArray());
    }

    public bool TryRead(string? token, TokenPurpose purpose, out long id)
    {
        id = 0;
        if (string.IsNullOrEmpty(token) || token.Length > 64) return false;
        byte[] bytes;
        try { bytes = WebEncoders.Base64UrlDecode(token); }
        catch (FormatException) { return false; }
        if (bytes.Length != PayloadLength + MacLength) return false;

        Span<byte> expected = stackalloc byte[MacLength];
        Sign(bytes.AsSpan(0, PayloadLength), expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(PayloadLength))) return false;
        if (bytes[0] != (byte)purpose) return false;

        var expires = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(9));
        if (expires != 0 && time.GetUtcNow().ToUnixTimeSeconds() > expires) return false;
        id = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        return true;
    }

    private void Sign(ReadOnlySpan<byte> payload, Span<byte> mac)
    {
        Span<byte> full = stackalloc byte[32];
        HMACSHA256.HashData(key.Bytes, payload, full);
        full[..MacLength].CopyTo(mac);
    }
}
