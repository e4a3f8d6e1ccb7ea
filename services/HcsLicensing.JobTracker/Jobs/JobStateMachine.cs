using System.Diagnostics;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.JobTracker.Audit;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HcsLicensing.JobTracker.Jobs;

/// <summary>
/// One saga per job, correlated by JobId. The state machine only routes: <see cref="JobRules"/> decides what each
/// event does ("an event never moves a job backwards"), then the state follows the job's status. Every job event
/// is accepted in every state, including before the job exists (it creates the job), so none is dropped and none is
/// "unexpected"; operator commands for an unknown job are rejected, never create one. Jobs are never finalized.
/// </summary>
public sealed class JobStateMachine : MassTransitStateMachine<JobState>
{
    private readonly TimeProvider clock;
    private readonly ILogger<JobStateMachine> logger;
    private readonly JobMetrics metrics;

    public JobStateMachine(TimeProvider clock, ILogger<JobStateMachine> logger, JobMetrics metrics)
    {
        this.clock = clock;
        this.logger = logger;
        this.metrics = metrics;

        InstanceState(job => job.CurrentState);

        Event(() => JobCreated, e => e.CorrelateById(context => context.Message.JobId));
        Event(() => JobStepChanged, e => e.CorrelateById(context => context.Message.JobId));
        Event(() => JobSucceeded, e => e.CorrelateById(context => context.Message.JobId));
        Event(() => JobFailed, e => e.CorrelateById(context => context.Message.JobId));
        Event(() => JobCanceled, e => e.CorrelateById(context => context.Message.JobId));
        Event(() => JobProgressed, e => e.CorrelateById(context => context.Message.JobId));
        Event(() => RestartJob, e =>
        {
            e.CorrelateById(context => context.Message.JobId);
            e.OnMissingInstance(missing => missing.ExecuteAsync(context => Reject(context, context.Message.JobId, JobRules.RestartCommand, JobRules.UnknownJob)));
        });
        Event(() => CancelJob, e =>
        {
            e.CorrelateById(context => context.Message.JobId);
            e.OnMissingInstance(missing => missing.ExecuteAsync(context => Reject(context, context.Message.JobId, JobRules.CancelCommand, JobRules.UnknownJob)));
        });

        // DuringAny excludes Initial, so the job events are declared for both.
        Initially(JobEvents());
        DuringAny(JobEvents());
        DuringAny(
            When(RestartJob).ThenAsync(OnRestart),
            When(CancelJob).ThenAsync(OnCancel));
    }

    public State InProgress { get; private set; } = null!;

    public State Succeeded { get; private set; } = null!;

    public State Failed { get; private set; } = null!;

    public State Canceled { get; private set; } = null!;

    public Event<JobCreated> JobCreated { get; private set; } = null!;

    public Event<JobStepChanged> JobStepChanged { get; private set; } = null!;

    public Event<JobSucceeded> JobSucceeded { get; private set; } = null!;

    public Event<JobFailed> JobFailed { get; private set; } = null!;

    public Event<JobCanceled> JobCanceled { get; private set; } = null!;

    public Event<JobProgressed> JobProgressed { get; private set; } = null!;

    public Event<RestartJob> RestartJob { get; private set; } = null!;

    public Event<CancelJob> CancelJob { get; private set; } = null!;

    private EventActivities<JobState>[] JobEvents() =>
    [
        When(JobCreated).ThenAsync(async context =>
        {
            await Track(context, context.Message.InitiatedAt, job => JobRules.Apply(job, context.Message, clock.GetUtcNow()));
            await Started(context, context.Message);
        }),
        When(JobStepChanged).ThenAsync(context => Track(context, context.Message.OccurredAt, job => JobRules.Apply(job, context.Message, clock.GetUtcNow()))),
        When(JobSucceeded).ThenAsync(context => Track(context, context.Message.CompletedAt, job => JobRules.Apply(job, context.Message, clock.GetUtcNow()))),
        When(JobFailed).ThenAsync(context => Track(context, context.Message.FailedAt, job => JobRules.Apply(job, context.Message, clock.GetUtcNow()))),
        When(JobCanceled).ThenAsync(context => Track(context, context.Message.CanceledAt, job => JobRules.Apply(job, context.Message, clock.GetUtcNow()))),
        When(JobProgressed).ThenAsync(async context =>
        {
            var progressed = Checked(context.Message);
            await Track(context, JobRules.OccurredAt(progressed), job => JobRules.Apply(job, progressed, clock.GetUtcNow()));
            if (progressed.Created is { } created)
            {
                await Started(context, created);
            }
        }),
    ];

    /// <summary>
    /// The audit trail's "Job started", in this message's transaction (its DbContext is the message's scope's). Where no
    /// AuditTrail is registered (the state machine on its own, without a database, in a component test) there is none.
    /// </summary>
    private static Task Started<T>(BehaviorContext<JobState, T> context, JobCreated created)
        where T : class =>
        context.TryGetPayload(out IServiceProvider? services) && services.GetService<AuditTrail>() is { } trail
            ? trail.JobStartedAsync(created, context.CancellationToken)
            : Task.CompletedTask;

    /// <summary>A JobProgressed with a part of another job is refused whole, to the error queue with the reason.</summary>
    private static JobProgressed Checked(JobProgressed progressed) =>
        JobRules.Problem(progressed) is { } problem ? throw new ServiceDefaults.Validation.InvalidMessageException($"JobProgressed refused: {problem}") : progressed;

    private async Task OnRestart(BehaviorContext<JobState, RestartJob> context)
    {
        var before = JobMetrics.Snapshot(context.Saga);
        var now = clock.GetUtcNow();
        var decision = JobRules.Restart(context.Saga, now, context.Message.RequestedBy);
        if (!decision.Accepted)
        {
            await Reject(context, context.Saga.CorrelationId, JobRules.RestartCommand, decision.Reason!);
            return;
        }

        await JobMetrics.WhenCommitted(context, metrics.Measure(before, context.Saga, now));
        var requested = new JobRestartRequested
        {
            JobId = context.Saga.CorrelationId,
            Attempt = context.Saga.Attempt,
            FromStep = decision.FromStep,
            RequestedBy = context.Message.RequestedBy,
        };
        // The owner of the job subscribes to JobRestartRequested; a requester (if any) gets it as the answer.
        await context.Publish(requested);
        if (context.ResponseAddress is not null)
        {
            await context.RespondAsync(requested);
        }

        await FollowStatus(context);
    }

    private async Task OnCancel(BehaviorContext<JobState, CancelJob> context)
    {
        var decision = JobRules.Cancel(context.Saga, clock.GetUtcNow(), context.Message.RequestedBy);
        if (!decision.Accepted)
        {
            await Reject(context, context.Saga.CorrelationId, JobRules.CancelCommand, decision.Reason!);
            return;
        }

        var requested = new JobCancelRequested
        {
            JobId = context.Saga.CorrelationId,
            Attempt = context.Saga.Attempt,
            RequestedBy = context.Message.RequestedBy,
        };
        await context.Publish(requested);
        if (context.ResponseAddress is not null)
        {
            await context.RespondAsync(requested);
        }
    }

    private async Task Track<T>(BehaviorContext<JobState, T> context, DateTimeOffset occurredAt, Func<JobState, bool> apply)
        where T : class
    {
        var before = JobMetrics.Snapshot(context.Saga);
        if (apply(context.Saga))
        {
            context.Saga.TraceId ??= CurrentTraceId();
            // Measured from what the event changed, emitted once the change is committed (JobMetrics).
            await JobMetrics.WhenCommitted(context, metrics.Measure(before, context.Saga, occurredAt));
        }
        else
        {
            // Not an error: a duplicate, a stale step status or an older attempt's event (see JobRules).
            logger.LogDebug("Job {JobId}: {Event} ignored, it would move the job backwards", context.Saga.CorrelationId, typeof(T).Name);
        }

        await FollowStatus(context);
    }

    /// <summary>The trace this event is consumed in (the publisher's, carried by the message), if one is recorded.</summary>
    private static string? CurrentTraceId() =>
        Activity.Current is { Recorded: true } activity && activity.TraceId != default ? activity.TraceId.ToHexString() : null;

    /// <summary>The state mirrors the job's status, which only <see cref="JobRules"/> changes.</summary>
    private Task FollowStatus(BehaviorContext<JobState> context)
    {
        var target = context.Saga.Status switch
        {
            JobStatus.Succeeded => Succeeded,
            JobStatus.Failed => Failed,
            JobStatus.Canceled => Canceled,
            _ => InProgress,
        };
        return context.Saga.CurrentState == target.Name ? Task.CompletedTask : context.TransitionToState(target);
    }

    /// <summary>A refused command is answered to a requester, else published for whoever sent it.</summary>
    private async Task Reject(ConsumeContext context, Guid jobId, string command, string reason)
    {
        logger.LogInformation("Job {JobId}: {Command} rejected: {Reason}", jobId, command, reason);
        var rejected = new JobCommandRejected { JobId = jobId, Command = command, Reason = reason };
        if (context.ResponseAddress is not null)
        {
            await context.RespondAsync(rejected);
        }
        else
        {
            await context.Publish(rejected);
        }
    }
}
