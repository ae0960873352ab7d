using System.Net;
using Microsoft.Extensions.Options;
using NewsletterService.Feeds;

namespace NewsletterService.Tests.Feeds;

/// <summary>The address rule alone, over the ranges it refuses and the operator's exceptions to it.</summary>
public sealed class FeedAddressRuleTests
{
    private static FeedAddressRule Rule(bool allowPrivate = false, params string[] networks) =>
        new(Options.Create(new FeedOptions { AllowPrivateNetworks = allowPrivate, AllowedNetworks = [.. networks] }));

    [Theory]
    [InlineData("0.0.0.0"), InlineData("0.1.2.3"), InlineData("10.0.0.1"), InlineData("10.255.255.255"), InlineData("100.64.0.1")]
    [InlineData("100.127.255.254"), InlineData("127.0.0.1"), InlineData("127.255.255.254"), InlineData("169.254.169.254")]
    [InlineData("172.16.0.1"), InlineData("172.31.255.255"), InlineData("192.0.0.8"), InlineData("192.0.2.1"), InlineData("192.88.99.1")]
    [InlineData("192.168.0.1"), InlineData("198.18.0.1"), InlineData("198.51.100.1"), InlineData("203.0.113.1"), InlineData("224.0.0.1")]
    [InlineData("239.255.255.250"), InlineData("240.0.0.1"), InlineData("255.255.255.255")]
    [InlineData("::"), InlineData("::1"), InlineData("::ffff:127.0.0.1"), InlineData("::ffff:10.0.0.1"),
        InlineData("::ffff:169.254.169.254")]
    [InlineData("::127.0.0.1"), InlineData("::10.0.0.1"), InlineData("64:ff9b::7f00:1"), InlineData("64:ff9b:1::a00:1"),
        InlineData("::ffff:0:7f00:1")]
    [InlineData("fc00::1"), InlineData("fd12:3456::1"), InlineData("fe80::1"), InlineData("fe80::1%1"), InlineData("fec0::1"),
        InlineData("ff02::1")]
    [InlineData("100::1"), InlineData("2001::1"), InlineData("2001:db8::1"), InlineData("2002:7f00:1::1"), InlineData("3fff::1")]
    public void LoopbackPrivateLinkLocalAndReservedAddresses_AreRefused(string address)
    {
        Assert.False(FeedAddressRule.IsPublic(IPAddress.Parse(address)));
        Assert.False(Rule().Allows(IPAddress.Parse(address)));
        Assert.True(Rule(allowPrivate: true).Allows(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8"), InlineData("1.1.1.1"), InlineData("11.0.0.1"), InlineData("100.63.255.255"), InlineData("100.128.0.1")]
    [InlineData("126.255.255.255"), InlineData("128.0.0.1"), InlineData("172.15.255.255"), InlineData("172.32.0.1"),
        InlineData("192.169.0.1")]
    [InlineData("223.255.255.254"), InlineData("2606:4700::1111"), InlineData("2a00:1450:4001::1"), InlineData("::ffff:8.8.8.8"),
        InlineData("64:ff9b::808:808")]
    public void PublicAddresses_AreAllowed(string address)
    {
        Assert.True(FeedAddressRule.IsPublic(IPAddress.Parse(address)));
        Assert.True(Rule().Allows(IPAddress.Parse(address)));
    }

    [Fact]
    public void AllowedNetworks_AllowTheirRangesOnly_InEitherForm()
    {
        var rule = Rule(false, "10.20.0.0/16", " fd12:3456::/48 ");

        Assert.All(new[] { "10.20.0.1", "10.20.255.254", "::ffff:10.20.5.5", "fd12:3456::1", "8.8.8.8" },
            a => Assert.True(rule.Allows(IPAddress.Parse(a)), a));
        Assert.All(new[] { "10.21.0.1", "10.19.255.255", "127.0.0.1", "::ffff:10.21.0.1", "fd12:3457::1", "::1" },
            a => Assert.False(rule.Allows(IPAddress.Parse(a)), a));
    }
}
