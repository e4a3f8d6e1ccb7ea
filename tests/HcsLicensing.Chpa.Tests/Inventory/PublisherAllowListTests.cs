using HcsLicensing.Chpa.Inventory;

namespace HcsLicensing.Chpa.Tests.Inventory;

/// <summary>Which publisher addresses an allow-list lets credentials go to.</summary>
public class PublisherAllowListTests
{
    private static readonly PublisherAllowList List = new(["*.partner.example", "cucm-pub.other.example", "10.20.0.0/16", "192.0.2.9", "2001:db8::/32"]);

    [TestCase("cl1-pub.partner.example", true)]
    [TestCase("A.B.Partner.Example.", true)]
    [TestCase("partner.example", false)]
    [TestCase("evilpartner.example", false)]
    [TestCase("partner.example.attacker.test", false)]
    [TestCase("cucm-pub.other.example", true)]
    [TestCase("x.cucm-pub.other.example", false)]
    [TestCase("10.20.3.4", true)]
    [TestCase("10.21.0.1", false)]
    [TestCase("192.0.2.9", true)]
    [TestCase("192.0.2.10", false)]
    [TestCase("2001:db8::1", true)]
    [TestCase("127.0.0.1", false)]
    public void Allows_only_listed_hosts_patterns_and_networks(string address, bool allowed) =>
        Assert.That(List.Allows(address), Is.EqualTo(allowed));

    [Test]
    public void An_empty_list_allows_nothing_and_a_bad_entry_stops_the_start()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new PublisherAllowList([]).Allows("cl1-pub.partner.example"), Is.False);
            Assert.That(() => new PublisherAllowList(["10.0.0.0/99"]), Throws.InvalidOperationException.With.Message.Contains("10.0.0.0/99"));
            Assert.That(() => new PublisherAllowList(["not a host"]), Throws.InvalidOperationException);
        });
    }
}
