using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HcsLicensing.TestBed.Suite;
using static HcsLicensing.ClusterAssign.Tests.EndToEnd.Operator;

namespace HcsLicensing.ClusterAssign.Tests.EndToEnd;

/// <summary>
/// The license dashboard's data moves with an assignment: the cluster registered in the VA consumes its type's license
/// in CSSM, and SmartAccountSync's next sync shows it (every service and both simulators real).
/// </summary>
public class LicenseUsageAfterAssignmentTests
{
    private const string CucmLicense = "UC Manager Enhanced License (12.x)"; // the CSSM simulator's default for CUCM
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task An_assigned_CUCM_cluster_raises_its_VAs_UC_Manager_license_in_use_after_the_next_sync()
    {
        var (suite, account) = await EndToEndSuite.GetAsync();
        var cluster = await TakeClusterOfTypeAsync(suite, "CUCM");
        await suite.AddClustersToInventoryAsync([cluster]);
        var va = Va(account, 7);
        var before = await InUseAfterSyncAsync(suite, account, va);

        var job = await suite.WaitForJobAsync(await JobIdOf(await AssignAsync(suite, cluster, va)), JobTimeout);
        var after = await InUseAfterSyncAsync(suite, account, va);

        Assert.Multiple(() =>
        {
            Assert.That(job.Status, Is.EqualTo("Succeeded"), Describe(job));
            Assert.That(after, Is.EqualTo(before + 1), $"{CucmLicense} in use in {va}");
        });
    }

    /// <summary>The next generated cluster of that type (the UC simulator cycles through CUCM, CUCXN, IMP, ...).</summary>
    private static async Task<string> TakeClusterOfTypeAsync(HcsSuite suite, string type)
    {
        for (var i = 0; i < 8; i++)
        {
            var name = suite.TakeClusterNames(1)[0];
            if ((await suite.GetUcClusterAsync(name))?.Type == type)
            {
                return name;
            }
        }

        throw new InvalidOperationException($"no {type} cluster among the next 8");
    }

    /// <summary>Syncs the smart account (the sync reads CSSM's license report) and reads the VA's CUCM license line.</summary>
    private static async Task<int> InUseAfterSyncAsync(HcsSuite suite, SmartAccountInfo account, string va)
    {
        using var client = suite.CreateClient(SuiteService.SmartAccountSync);
        using var requested = await client.PostAsync(new Uri($"smart-accounts/{account.Id}/sync", UriKind.Relative), null);
        Assert.That(requested.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var sync = await suite.WaitForJobAsync(await JobIdOf(requested), JobTimeout);
        Assert.That(sync.Status, Is.EqualTo("Succeeded"), Describe(sync));

        var licenses = await client.GetFromJsonAsync<JsonElement>(new Uri($"virtual-accounts/{HcsSuite.SmartAccountDomain}/{va}/licenses", UriKind.Relative), EndToEndSuite.Json);
        return licenses.GetProperty("licenses").EnumerateArray().Single(l => l.GetProperty("license").GetString() == CucmLicense).GetProperty("inUse").GetInt32();
    }
}
