extern alias jobtracker;

using System.Diagnostics.Metrics;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.ServiceDefaults.Outbox;
using jobtracker::HcsLicensing.JobTracker.Jobs;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HcsLicensing.Observability.Tests.Jobs;

/// <summary>
/// JobStateMachine on MassTransit's in-memory bus (a fast component test), its endpoint wrapped as the transactional
/// outbox wraps every endpoint of the suite: a transaction end (<see cref="TransactionEnd"/>) opened before the saga and
/// committed after it. The job metrics leave with the commit, i.e. only once the job is committed; a message that fails
/// after the saga ran measures nothing, so a retry after a concurrency conflict does not count twice. (The commit itself
/// is the outbox's, tested on PostgreSQL in ServiceDefaults' tests.)
/// </summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class JobMetricsOnTheBusTests
{
    private static readonly (string, string)[] Cluster = [(JobMetrics.TypeTag, "Provisioning"), (JobMetrics.EntityTypeTag, "Cluster")];

    [Test]
    public async Task Measurements_are_emitted_after_the_saga_ran_not_while_it_runs()
    {
        var probe = new AfterSagaProbe();
        await using var provider = Build(probe);
        using var recorder = new MetricRecorder(provider.GetRequiredService<IMeterFactory>());
        probe.Recorder = recorder;
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        var jobId = Guid.NewGuid();
        await harness.Bus.Publish(Created(jobId));
        Assert.That(await harness.Consumed.Any<JobCreated>(m => m.Context.Message.JobId == jobId), Is.True);
        var started = await TestBed.Eventually.Poll(() => Task.FromResult(recorder.Sum("hcs.jobs.started", Cluster)), sum => sum > 0, TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(probe.StartedWhenSagaReturned, Is.EqualTo(0), "nothing emitted before the message's processing completed");
            Assert.That(started, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_message_that_fails_after_the_saga_ran_measures_nothing()
    {
        var probe = new AfterSagaProbe { Fail = true };
        await using var provider = Build(probe);
        using var recorder = new MetricRecorder(provider.GetRequiredService<IMeterFactory>());
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        var jobId = Guid.NewGuid();
        await harness.Bus.Publish(Created(jobId));

        Assert.That(await harness.Consumed.Any<JobCreated>(m => m.Context.Message.JobId == jobId && m.Exception is not null), Is.True, "the message failed");
        // The outbox would have run before the failure was reported; a margin all the same.
        await Task.Delay(200);
        Assert.That(recorder.Of("hcs.jobs.started"), Is.Empty);
    }

    private static ServiceProvider Build(AfterSagaProbe probe) =>
        new ServiceCollection()
            .AddMetrics()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<JobMetrics>()
            .AddScoped<TransactionEnd>()
            .AddMassTransitTestHarness(bus =>
            {
                bus.AddSagaStateMachine<jobtracker::HcsLicensing.JobTracker.Jobs.JobStateMachine, JobState>().InMemoryRepository();
                bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
                {
                    // As ServiceDefaults' AddServiceBus: retry, then the outbox's transaction; then the probe, right around the saga.
                    endpoint.UseMessageRetry(retry => retry.None());
                    endpoint.UseFilter(new TransactionStandIn(context));
                    endpoint.UseFilter(probe);
                });
            })
            .BuildServiceProvider(true);

    private static JobCreated Created(Guid jobId) => new()
    {
        JobId = jobId,
        JobType = "Provisioning",
        EntityType = "Cluster",
        EntityName = "hcs-cl-0001",
        Description = "Assignment of Cluster hcs-cl-0001 to HCS-CUST-0002 started",
        Steps = [ClusterOperationSteps.Verification],
        InitiatedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>
    /// Stands in for the outbox's factory on the in-memory bus: opens the message's scope and its transaction end before
    /// the saga, and ends it as committed when the saga (and the probe) returned, as not committed when they threw.
    /// </summary>
    private sealed class TransactionStandIn(IServiceProvider provider) : IFilter<ConsumeContext>
    {
        public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
        {
            await using var scope = provider.CreateAsyncScope();
            context.GetOrAddPayload<IServiceScope>(() => scope);
            context.GetOrAddPayload(() => scope.ServiceProvider);
            var end = scope.ServiceProvider.GetRequiredService<TransactionEnd>();
            end.Begin();
            try
            {
                await next.Send(context);
                end.Committed();
            }
            finally
            {
                end.Release();
            }
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("transaction-stand-in");
    }

    /// <summary>Sits between the outbox and the saga: sees what was emitted when the saga returned, and can fail the message then.</summary>
    private sealed class AfterSagaProbe : IFilter<ConsumeContext>
    {
        public bool Fail { get; init; }

        public MetricRecorder? Recorder { get; set; }

        public double? StartedWhenSagaReturned { get; private set; }

        public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
        {
            await next.Send(context);
            if (context.TryGetMessage<JobCreated>(out _))
            {
                StartedWhenSagaReturned = Recorder?.Sum("hcs.jobs.started");
                if (Fail)
                {
                    throw new InvalidOperationException("failed after the saga ran, as a commit conflict would");
                }
            }
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("after-saga-probe");
    }
}
