using HcsLicensing.ClusterAssign.Operations.Steps;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>Ending steps and jobs; restart, cancel, timeouts and faults.</summary>
public sealed partial class ClusterOperationFlow
{
    public IReadOnlyList<Outgoing> OnRestart(ClusterOperationState s, JobRestartRequested restart, DateTimeOffset now)
    {
        var output = new List<Outgoing>();
        if (s.JobId != restart.JobId)
        {
            // An older job of this cluster: JobTracker has shown it In Progress since the restart, so it is ended again,
            // for good: another job has run on the cluster since, and resuming this one would undo or repeat it.
            output.Add(new(Destination.Publish, new JobFailed
            {
                JobId = restart.JobId,
                Attempt = restart.Attempt,
                ErrorDescription = $"Job {restart.JobId} cannot be restarted: {s.LastOperation} job {s.JobId} has run on {s.ClusterName} since",
                RecommendedAction = $"Check {s.ClusterName} in the Cluster Summary, then send a new request for it if it is still needed",
                IsRestartable = false,
                FailedAt = now,
            }));
            return output;
        }

        // Only a failed job, and each attempt once (a redelivered restart finds it running).
        if (s.Phase != OperationPhase.Failed || restart.Attempt <= s.Attempt)
        {
            return output;
        }

        var step = operations.Find(s.Operation, s.FailedStep) ?? operations.For(s.Operation)[0];
        s.Attempt = restart.Attempt;
        s.FailedStep = null;
        s.FailureReason = null;
        s.FailureError = null;
        s.RecommendedAction = null;
        s.Replied = true; // the requester had its answer with attempt 1
        s.LastJobStatus = JobStatus.InProgress;
        s.UpdatedAt = now;
        BeginStep(s, step, now, output);
        return output;
    }

    public IReadOnlyList<Outgoing> OnCancel(ClusterOperationState s, JobCancelRequested cancel, DateTimeOffset now)
    {
        var output = new List<Outgoing>();
        if (s.JobId != cancel.JobId)
        {
            return output;
        }

        if (!s.IsRunning || !IsCancelable(s, s.CurrentStep))
        {
            var why = s.IsRunning ? $"{s.CurrentStep} has begun: the cluster's registration is changing" : $"the job has ended ({s.LastJobStatus})";
            output.Add(new(Destination.Publish, new JobCommandRejected { JobId = cancel.JobId, Command = "CancelJob", Reason = why }));
            return output;
        }

        var step = s.CurrentStep;
        End(s, JobStatus.Canceled, now);
        s.Phase = OperationPhase.Idle;
        output.Add(new(Destination.Publish, new JobCanceled
        {
            JobId = cancel.JobId,
            Attempt = s.Attempt,
            Reason = $"Canceled by {cancel.RequestedBy ?? "an operator"} during {step}",
            CanceledAt = now,
        }));
        if (!s.Replied)
        {
            s.Replied = true;
            output.Add(Answer(s, SmartLicResponseCode.FAIL, SmartLicResponseReason.SmartLicFailed, $"job canceled during {step}", null));
        }

        output.Add(Completed(s, JobStatus.Canceled, now));
        ContinueBatch(s, output);
        return output;
    }

    /// <summary>The sweeper found this wait overdue: its step fails as timed out, unless the answer came meanwhile.</summary>
    public IReadOnlyList<Outgoing> OnTimedOut(ClusterOperationState s, Guid waitToken, DateTimeOffset now)
    {
        var output = new List<Outgoing>();
        if (s.IsRunning && s.WaitToken == waitToken && s.Deadline <= now
            && operations.Find(s.Operation, s.CurrentStep) is { } step && step.WaitIn(s.Phase) is { } wait)
        {
            var run = new StepRun(this, step, s, options, now, output);
            run.Fail(step.TimedOut(run, wait));
        }

        return output;
    }

    internal void Progress(ClusterOperationState s, string step, JobStepStatus status, string? detail, DateTimeOffset now, List<Outgoing> output) =>
        output.Add(new(Destination.Publish, new JobStepChanged
        {
            JobId = s.JobId!.Value,
            Attempt = s.Attempt,
            Step = step,
            Status = status,
            Detail = detail,
            IsCancelable = status == JobStepStatus.Inprogress ? IsCancelable(s, step) : null,
            OccurredAt = now,
        }));

    /// <summary>Verification passed: the requester hears PASS with the job id; the job runs on.</summary>
    internal static void Accept(ClusterOperationState s, List<Outgoing> output)
    {
        if (!s.Replied)
        {
            s.Replied = true;
            output.Add(Answer(s, SmartLicResponseCode.PASS, SmartLicResponseReason.SmartLicNoError, null, null));
        }
    }

    private static void Succeed(ClusterOperationState s, string? why, DateTimeOffset now, List<Outgoing> output)
    {
        End(s, JobStatus.Succeeded, now);
        s.Phase = OperationPhase.Idle;
        output.Add(new(Destination.Publish, new JobSucceeded
        {
            JobId = s.JobId!.Value,
            Attempt = s.Attempt,
            Description = Describe(s, "completed") + (why is null ? "" : $" ({why})"),
            CompletedAt = now,
        }));
        output.Add(Completed(s, JobStatus.Succeeded, now));
        ContinueBatch(s, output);
    }

    internal static void Fail(ClusterOperationState s, Failure failure, DateTimeOffset now, List<Outgoing> output)
    {
        var step = s.CurrentStep ?? ClusterOperationSteps.Verification;
        End(s, JobStatus.Failed, now);
        s.Phase = OperationPhase.Failed;
        s.FailedStep = step;
        s.FailureReason = failure.Reason;
        s.FailureError = failure.Error;
        s.RecommendedAction = failure.RecommendedAction;
        output.Add(new(Destination.Publish, new JobFailed
        {
            JobId = s.JobId!.Value,
            Attempt = s.Attempt,
            FailedStep = step,
            ErrorDescription = failure.Error,
            RecommendedAction = failure.RecommendedAction,
            IsRestartable = failure.Restartable,
            FailedAt = now,
        }));
        if (!s.Replied)
        {
            s.Replied = true;
            output.Add(Answer(s, SmartLicResponseCode.FAIL, failure.Reason, failure.Error, failure.RecommendedAction));
        }

        output.Add(Completed(s, JobStatus.Failed, now));
        ContinueBatch(s, output);
    }

    private static void End(ClusterOperationState s, JobStatus status, DateTimeOffset now)
    {
        s.Deadline = null;
        s.WaitToken = NewToken(); // answers still on their way are stale from now on
        s.ProtectedToken = null; // a restart asks for a token again
        s.LastJobStatus = status;
        s.UpdatedAt = now;
    }

    private static Outgoing Answer(ClusterOperationState s, SmartLicResponseCode code, SmartLicResponseReason reason, string? description, string? action) =>
        new(Destination.Reply, new Reply(s.ReplyAddress, s.ReplyRequestId, new ClusterAssignmentResp
        {
            RequestId = s.RequestId!,
            ClusterName = s.ClusterName,
            Operation = s.Operation,
            JobId = s.JobId,
            ResponseCode = code,
            ResponseReason = reason,
            ResponseDescription = description,
            RecommendedAction = action,
        }));

    private static Outgoing Completed(ClusterOperationState s, JobStatus status, DateTimeOffset now) =>
        new(Destination.Publish, new ClusterOperationCompleted
        {
            JobId = s.JobId!.Value,
            RequestId = s.RequestId!,
            ClusterName = s.ClusterName,
            Operation = s.Operation,
            Status = status,
            SmartAccountDomain = s.RegistrationState == Contracts.Chpa.UcRegistrationState.Registered ? s.SmartAccountDomain : null,
            VirtualAccountName = s.RegistrationState == Contracts.Chpa.UcRegistrationState.Registered ? s.VirtualAccountName : null,
            FailedStep = s.FailedStep,
            Reason = s.FailureReason,
            ErrorDescription = s.FailureError,
            CompletedAt = now,
        });

    private static void ContinueBatch(ClusterOperationState s, List<Outgoing> output)
    {
        ContinueBatch(s.RequestId!, s.TargetDomain, s.TargetVirtualAccount, s.RequestedBy, s.BatchRemaining, output);
        s.BatchRemaining = [];
    }

    /// <summary>A batch lane goes on with its next cluster whatever became of this one.</summary>
    private static void ContinueBatch(string requestId, string? domain, string? virtualAccount, string? requestedBy, IReadOnlyList<string> remaining, List<Outgoing> output)
    {
        if (remaining.Count > 0)
        {
            output.Add(new(Destination.Self, new AssignClusterInBatch
            {
                RequestId = requestId,
                ClusterName = remaining[0],
                SmartAccountDomain = domain ?? "",
                VirtualAccountName = virtualAccount ?? "",
                RequestedBy = requestedBy,
                Remaining = [.. remaining.Skip(1)],
            }));
        }
    }
}
