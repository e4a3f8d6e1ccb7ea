using HcsLicensing.SmartAccountSync.Tests.Support;

namespace HcsLicensing.SmartAccountSync.Tests.Data;

/// <summary>
/// A service started on an empty database (a new install, a new replica's first start) migrates it before anything
/// reads it: an on-call engineer who finds an error in a first start's log should be right to worry.
/// </summary>
public class FirstStartTests
{
    [Test]
    public async Task A_first_start_on_an_empty_database_migrates_before_anything_reads_it_and_logs_no_error()
    {
        await using var host = await SyncHost.StartAsync(virtualAccounts: 3);
        await host.ConfigureDemoAndWaitAsync(); // the key ring in use: the client secret is encrypted with it

        var errors = host.Logs.Lines.Where(line => line.StartsWith("Error ", StringComparison.Ordinal) || line.StartsWith("Critical ", StringComparison.Ordinal));

        Assert.That(errors, Is.Empty);
    }
}
