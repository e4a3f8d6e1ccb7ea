using System.Globalization;
using HcsLicensing.TestBed.Suite;

namespace HcsLicensing.ClusterAssign.Tests.ScaleOut.Loops;

/// <summary>
/// One suite with three replicas of each of the four services (one RabbitMQ node: the loops share rows, not queues)
/// for every test of this namespace, whose background loops run at test speed: each test shows that what a loop does
/// is done once although three replicas run it. One suite for all five loops, here beside the scale-out test rather
/// than in each service's test project, because a replicated suite takes about 40 s to start on our CI machine.
/// Started on first use, stopped after the last test.
/// </summary>
[SetUpFixture]
public sealed class ReplicatedLoopsSuite
{
    public const int Replicas = 3;

    /// <summary>ClusterAssign's step timeout: a step whose answer does not come fails this long after it began.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(4);

    /// <summary>SmartAccountSync syncs every smart account this long after its last sync started.</summary>
    public static readonly TimeSpan SyncPeriod = TimeSpan.FromSeconds(4);

    /// <summary>How often each replica's loops look for work: several passes of three replicas per step deadline or sync period.</summary>
    public static readonly TimeSpan LoopInterval = TimeSpan.FromMilliseconds(250);

    private static readonly SharedSuite Shared = new(Options);

    public static Task<(HcsSuite Suite, SmartAccountInfo Account)> GetAsync() => Shared.GetAsync();

    [OneTimeTearDown]
    public Task StopAsync() => Shared.StopAsync();

    private static SuiteOptions Options()
    {
        static string Span(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
        return SuiteOptions.Fast with
        {
            Replicas = Replicas,
            Clusters = 100,
            Environment = new Dictionary<SuiteService, IReadOnlyDictionary<string, string>>
            {
                [SuiteService.ClusterAssign] = new Dictionary<string, string>
                {
                    ["ClusterAssign__StepTimeout"] = Span(StepTimeout),
                    ["ClusterAssign__SweepInterval"] = Span(LoopInterval),
                    ["ClusterAssign__AnswerWait"] = "00:00:01",
                    // Each overdue wait a replica reports, for StepDeadlineSweeperReplicaTests to show how many replicas found it.
                    ["Logging__LogLevel__HcsLicensing.ClusterAssign.Operations.StepDeadlineSweeper"] = "Information",
                },
                [SuiteService.Chpa] = new Dictionary<string, string> { ["Registration__SweepInterval"] = Span(LoopInterval) },
                [SuiteService.SmartAccountSync] = new Dictionary<string, string>
                {
                    ["Sync__Period"] = Span(SyncPeriod),
                    ["Sync__CheckInterval"] = Span(LoopInterval),
                },
                // Small batches every half second, and each pass's count in the log, read by RetentionReplicaTests.
                [SuiteService.JobTracker] = new Dictionary<string, string>
                {
                    ["Retention__Interval"] = "00:00:00.5",
                    ["Retention__BatchSize"] = "100",
                    ["Logging__LogLevel__HcsLicensing.ServiceDefaults.Retention"] = "Information",
                },
            },
        };
    }
}
