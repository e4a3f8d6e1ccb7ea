using System.Diagnostics;
using HcsLicensing.Contracts.Jobs;
using static HcsLicensing.JobTracker.Tests.Jobs.JobEvents;

namespace HcsLicensing.JobTracker.Tests.Jobs;

/// <summary>A job keeps the trace its owner's events travel in, so the console can link a job to its trace.</summary>
public class JobTraceTests
{
    private JobTrackerHost host = null!;

    [OneTimeSetUp]
    public async Task StartService() => host = await JobTrackerHost.GetAsync();

    [Test]
    public async Task A_job_records_the_trace_id_of_the_request_that_started_it_and_a_later_trace_does_not_replace_it()
    {
        var id = Guid.NewGuid();
        var ownersTrace = ActivityTraceId.CreateRandom();
        using (new Activity("owner starts a job").SetParentId(ownersTrace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            await host.PublishAndWaitAsync(Created(id));
        }

        using (new Activity("a restart, later").SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            await host.PublishAndWaitAsync(Step(id, Verification, JobStepStatus.Inprogress));
        }

        var job = await host.Api.WaitForJobAsync(id, j => j.ProgressInfo[0].Status == "Inprogress");

        Assert.That(job.TraceId, Is.EqualTo(ownersTrace.ToHexString()));
    }
}
