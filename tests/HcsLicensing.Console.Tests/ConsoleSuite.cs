using System.Net.Http.Json;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;

namespace HcsLicensing.Console.Tests;

/// <summary>
/// One whole suite with the console, shared by every test of the assembly (started on first use, stopped after the
/// last test), with the smart account configured. Each test takes clusters of its own and adds them to CHPA.
/// </summary>
[SetUpFixture]
public sealed class ConsoleSuite
{
    /// <summary>CHPA gives up on a registration after this: a test fails one by a publisher restarting longer.</summary>
    public static readonly TimeSpan ChpaRegistrationDeadline = TimeSpan.FromSeconds(4);

    /// <summary>The console's Data Protection keys (DataProtection:KeysPath): a second console on them reads its cookies.</summary>
    public static readonly string KeysPath = Path.Combine(Path.GetTempPath(), $"hcs-console-keys-{Guid.NewGuid():N}");

    private static readonly SharedSuite Shared = new(Options);

    public static Task<(HcsSuite Suite, SmartAccountInfo Account)> GetAsync() => Shared.GetAsync();

    /// <summary>Per-cluster UC simulator knobs, e.g. how long its publisher restarts after a register.</summary>
    public static async Task SetKnobsAsync(HcsSuite suite, string cluster, object knobs)
    {
        using var client = suite.CreateClient(SuiteService.UcSimulator);
        using var response = await client.PutAsJsonAsync(new Uri($"admin/clusters/{cluster}/knobs", UriKind.Relative), knobs);
        response.EnsureSuccessStatusCode();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await Shared.StopAsync();
        HcsSuite.DeleteBuildSnapshots();
        if (Directory.Exists(KeysPath))
        {
            Directory.Delete(KeysPath, recursive: true);
        }

        await SharedTestServers.StopAsync();
    }

    private static SuiteOptions Options() => SuiteOptions.Fast with
    {
        WithConsole = true,
        Clusters = 60,
        Environment = new Dictionary<SuiteService, IReadOnlyDictionary<string, string>>
        {
            [SuiteService.Chpa] = new Dictionary<string, string> { ["Registration__Deadline"] = ChpaRegistrationDeadline.ToString() },
            // An action waits at most this long for Verification's verdict, then answers 202 with the running job.
            [SuiteService.ClusterAssign] = new Dictionary<string, string> { ["ClusterAssign__AnswerWait"] = "00:00:05" },
            [SuiteService.Console] = new Dictionary<string, string> { ["DataProtection__KeysPath"] = KeysPath },
        },
    };
}
