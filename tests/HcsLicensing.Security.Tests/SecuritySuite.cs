using System.Globalization;
using HcsLicensing.TestBed.Suite;

namespace HcsLicensing.Security.Tests;

/// <summary>
/// The one suite every test here uses (started on first use, stopped by <see cref="TestBedSetUp"/>): real services as
/// processes and their real issuer, with SmartAccountSync's credential bucket made small for the rate-limit test.
/// </summary>
public static class SecuritySuite
{
    /// <summary>SmartAccountSync's credential bucket here: three attempts, then one an hour.</summary>
    public const int CredentialAttempts = 3;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static HcsSuite? _suite;

    public static async Task<HcsSuite> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _suite ??= await HcsSuite.StartAsync(SuiteOptions.Fast with
            {
                Clusters = 10,
                VirtualAccounts = 5,
                Environment = new Dictionary<SuiteService, IReadOnlyDictionary<string, string>>
                {
                    [SuiteService.SmartAccountSync] = new Dictionary<string, string>
                    {
                        ["RateLimits__Credentials__TokenLimit"] = CredentialAttempts.ToString(CultureInfo.InvariantCulture),
                        ["RateLimits__Credentials__TokensPerPeriod"] = "1",
                        ["RateLimits__Credentials__ReplenishmentPeriod"] = "01:00:00",
                    },
                },
            });
        }
        finally
        {
            Gate.Release();
        }
    }

    internal static async Task StopAsync()
    {
        if (_suite is not null)
        {
            await _suite.DisposeAsync();
            _suite = null;
        }
    }
}
