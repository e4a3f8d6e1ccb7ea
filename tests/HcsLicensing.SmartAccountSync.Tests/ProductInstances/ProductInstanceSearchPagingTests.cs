using HcsLicensing.SmartAccountSync.Cssm;
using HcsLicensing.SmartAccountSync.ProductInstances;
using HcsLicensing.SmartAccountSync.SmartAccounts;

namespace HcsLicensing.SmartAccountSync.Tests.ProductInstances;

/// <summary>
/// CSSM pages its product instances by offset, and a partner's estate changes while an audit reads it: an instance
/// registered or removed between two pages shifts the others. Whatever shifts, every instance still listed is read,
/// or the audit would report a registered cluster as lost. The paging logic alone, over a scripted CSSM list (the
/// simulator's search itself is tested in the CSSM simulator's tests, the request end to end in
/// ListProductInstancesTests).
/// </summary>
public class ProductInstanceSearchPagingTests
{
    private static readonly SmartAccount Account = new() { Domain = "partner.example.com" };

    [Test]
    public async Task An_instance_registered_after_the_first_page_pushes_none_past_the_last_page()
    {
        // Pages of 2 over a, b, c, d; after the first page, x registers at the front: d moves to offset 4, beyond
        // the 4 the first page's total covered.
        var cssm = new ShiftingCssm(["a", "b", "c", "d"], afterCall: 1, change: list => list.Insert(0, "x"));

        var listed = await new ProductInstanceSearch(cssm, pageSize: 2).ReadAsync(Account, new CssmCredentials("id", "secret"), CancellationToken.None);

        Assert.That(listed.Select(i => i.ProductInstanceName), Is.SupersetOf(new[] { "a", "b", "c", "d" }));
    }

    [Test]
    public async Task An_instance_removed_after_the_first_page_hides_none_and_a_steady_read_is_taken_as_it_is()
    {
        // After the first page (a, b), a is removed: c moves to offset 1, already read, and the first pass misses it.
        var cssm = new ShiftingCssm(["a", "b", "c", "d"], afterCall: 1, change: list => list.Remove("a"));

        var listed = await new ProductInstanceSearch(cssm, pageSize: 2).ReadAsync(Account, new CssmCredentials("id", "secret"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(listed.Select(i => i.ProductInstanceName), Is.EqualTo(new[] { "b", "c", "d" }), "the second, steady read alone: a is gone");
            Assert.That(cssm.Calls, Is.EqualTo(4), "two pages per read, two reads");
        });
    }

    [Test]
    public async Task An_estate_that_never_stops_changing_is_read_at_most_three_times_and_keeps_what_any_read_saw()
    {
        var cssm = new ShiftingCssm(["a", "b", "c", "d"], afterCall: 1, change: list => list.Insert(0, $"new{list.Count}"), everyCall: true);

        var listed = await new ProductInstanceSearch(cssm, pageSize: 2).ReadAsync(Account, new CssmCredentials("id", "secret"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(listed.Select(i => i.ProductInstanceName), Is.SupersetOf(new[] { "a", "b", "c", "d" }));
            Assert.That(listed.Select(i => i.ProductInstanceName), Is.Unique);
            Assert.That(cssm.Reads, Is.EqualTo(ProductInstanceSearch.MaxReads));
        });
    }

    /// <summary>CSSM's device search over a list of instance names (one VA), changed by a script after a given call.</summary>
    private sealed class ShiftingCssm(List<string> names, int afterCall, Action<List<string>> change, bool everyCall = false) : ISwapiApi
    {
        public int Calls { get; private set; }

        public int Reads { get; private set; }

        public Task<SwapiDevices> SearchProductInstancesAsync(string domain, SwapiDevicesQuery query, CssmCredentials credentials, CancellationToken cancellationToken)
        {
            lock (names)
            {
                Calls++;
                Reads += query.Offset == 0 ? 1 : 0;
                var page = names.Skip(query.Offset).Take(query.Limit)
                    .Select(name => new SwapiDevice($"id-{name}", name, "CUCM", "14.0", "HCS-CUST-0001", null, null, "REGISTERED"))
                    .ToList();
                var answer = new SwapiDevices(names.Count, page, "SUCCESS", null);
                if (Calls == afterCall || (everyCall && Calls > afterCall))
                {
                    change(names);
                }

                return Task.FromResult(answer);
            }
        }

        public Task<SwapiAccounts> GetAccountsAsync(CssmCredentials credentials, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<SwapiVirtualAccounts> GetVirtualAccountsAsync(string domain, string accountType, CssmCredentials credentials, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<SwapiTokens> GetTokensAsync(string domain, string virtualAccount, CssmCredentials credentials, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<SwapiCreatedToken> CreateTokenAsync(string domain, string virtualAccount, SwapiNewToken token, CssmCredentials credentials, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<SwapiLicenses> GetLicensesAsync(string domain, SwapiLicensesQuery query, CssmCredentials credentials, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
