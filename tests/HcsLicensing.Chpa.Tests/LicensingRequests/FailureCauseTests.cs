using HcsLicensing.Chpa.Tests.Support;
using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.Chpa.Tests.LicensingRequests;

/// <summary>
/// Every operation names the cause of its failure in a typed answer (FAIL with a responseReason), whatever the publisher
/// does: a caller never decodes an exception or waits for a timeout of its own.
/// </summary>
public class FailureCauseTests
{
    private SharedChpa _shared = null!;

    [OneTimeSetUp]
    public async Task Start() => _shared = await SharedChpa.GetAsync();

    public static IEnumerable<TestCaseData> Cases() =>
        from operation in ChpaOperation.All
        from cause in new[] { "unknown cluster", "unreachable", "credentials refused", "timed out" }
        select new TestCaseData(operation, cause).SetName($"{operation.Name} answers FAIL when the publisher is {cause}");

    [TestCaseSource(nameof(Cases))]
    public async Task Every_operation_names_the_cause_of_its_failure(ChpaOperation operation, string cause)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var (clusterName, expected) = cause switch
        {
            "unknown cluster" => ($"never-added-{Guid.NewGuid():N}", ChpaResponseReason.chpaUnknownCluster),
            "unreachable" => ((await _shared.NewClusterAsync("cause-down", knobs: new { unreachable = true })).Name, ChpaResponseReason.chpaClusterUnreachable),
            "credentials refused" => ((await _shared.NewClusterAsync("cause-401", knobs: new { refuseCredentials = true })).Name, ChpaResponseReason.chpaCredentialsRefused),
            // Slower than CHPA's attempt timeout (1.5 s in the tests) on every attempt.
            _ => ((await _shared.NewClusterAsync("cause-slow", knobs: new { latencyMs = 4000 })).Name, ChpaResponseReason.chpaTimedOut),
        };

        var (code, reason) = await operation.Ask(_shared.Requester, clusterName);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ChpaResponseCode.FAIL));
            Assert.That(reason, Is.EqualTo(expected));
        });
    }
}
