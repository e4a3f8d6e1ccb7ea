using HcsLicensing.ClusterAssign.Operations.Steps;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;
using MassTransit;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>
/// HLM's cluster assignment agent (SMART_LIC_CLUSTER_OPERATION) as plain C#: what each request and answer does to a
/// cluster's <see cref="ClusterOperationState"/>, and which messages follow. The state machine only routes and sends;
/// every rule is here, testable without a bus.
/// <para>
/// A job runs its operation's steps in order (<see cref="ClusterOperations"/>); each step is one
/// <see cref="OperationStep"/> holding its rules. A step whose target state already holds, as Verification found it,
/// is Not Applicable and sends nothing. Each wait sends one request whose SessionId is the state's WaitToken and sets
/// a Deadline; an answer with another token, or for another phase, is stale and ignored.
/// </para>
/// </summary>
/// <param name="options">The deadlines and the transport target.</param>
/// <param name="operations">The steps of each operation; HLM's by default.</param>
/// <param name="tokens">Where Verification's registration token waits for Registration, encrypted; without it, Registration asks for one again.</param>
public sealed partial class ClusterOperationFlow(ClusterAssignOptions options, ClusterOperations? operations = null, RegistrationTokenSafe? tokens = null)
{
    private readonly ClusterOperations operations = operations ?? ClusterOperations.Hcs;

    internal RegistrationTokenSafe? Tokens => tokens;

    /// <summary>How many request ids a cluster remembers for repeats.</summary>
    public const int RememberedRequests = 20;

    public IReadOnlyList<Outgoing> Start(ClusterOperationState s, StartOperation request, DateTimeOffset now)
    {
        var output = new List<Outgoing>();
        var jobId = ClusterKeys.ForJob(request.RequestId, request.ClusterName);
        if (s.ClusterName.Length == 0)
        {
            s.ClusterName = request.ClusterName.Trim();
        }

        if (s.JobId == jobId || s.RecentJobIds.Contains(jobId))
        {
            output.Add(Reply(request, RepeatAnswer(s, request, jobId)));
            return output;
        }

        if (Validate(request) is { } invalid)
        {
            Refuse(s, request, jobId, SmartLicResponseReason.SmartLicInvalidRequest, invalid, "Correct the request and send it again", null, now, output);
            return output;
        }

        if (s.IsRunning)
        {
            Refuse(s, request, jobId, SmartLicResponseReason.SmartLicOperationInProgress,
                $"{s.Operation} job {s.JobId} is running on {s.ClusterName} (step {s.CurrentStep})",
                $"Wait for job {s.JobId} to end (or cancel it), then send the request again", s.JobId, now, output);
            return output;
        }

        Begin(s, request, jobId, now);
        // Also for a batch's job, announced as queued: now it has started, and when.
        output.Add(new(Destination.Publish, new JobCreated
        {
            JobId = jobId,
            JobType = "Provisioning",
            EntityType = "Cluster",
            EntityName = s.ClusterName,
            Description = Describe(s, "started"),
            Steps = operations.Names(s.Operation),
            IsCancelable = true,
            InitiatedAt = now,
            RequestedBy = s.RequestedBy,
        }));

        BeginStep(s, operations.For(s.Operation)[0], now, output);
        return output;
    }

    /// <summary>The JobCreated a batch publishes for each of its clusters up front, so all its jobs are listed at once.</summary>
    public static JobCreated Announce(string clusterName, string requestId, string domain, string virtualAccount, DateTimeOffset now, string? requestedBy) => new()
    {
        JobId = ClusterKeys.ForJob(requestId, clusterName),
        JobType = "Provisioning",
        EntityType = "Cluster",
        EntityName = clusterName,
        Description = $"Assignment of Cluster {clusterName} to {virtualAccount} queued",
        Steps = ClusterOperations.Hcs.Names(ClusterOperationType.Assignment),
        IsCancelable = true,
        InitiatedAt = now,
        Queued = true,
        RequestedBy = requestedBy,
    };

    private static void Begin(ClusterOperationState s, StartOperation request, Guid jobId, DateTimeOffset now)
    {
        s.JobId = jobId;
        s.RequestId = request.RequestId;
        s.Operation = request.Operation;
        s.Attempt = 1;
        s.TargetDomain = request.SmartAccountDomain?.Trim();
        s.TargetVirtualAccount = request.VirtualAccountName?.Trim();
        s.RequestedBy = request.RequestedBy;
        s.ReRegister = request.ReRegister;
        s.StartedAt = now;
        s.FailedStep = null;
        s.FailureReason = null;
        s.FailureError = null;
        s.RecommendedAction = null;
        s.ReplyAddress = request.ReplyAddress?.ToString();
        s.ReplyRequestId = request.ReplyRequestId;
        s.Replied = false;
        s.BatchRemaining = [.. request.BatchRemaining];
        s.LastJobId = jobId;
        s.LastOperation = request.Operation;
        s.LastJobStatus = JobStatus.InProgress;
        s.UpdatedAt = now;
        Remember(s, request.RequestId, jobId);
    }

    private static void Remember(ClusterOperationState s, string requestId, Guid jobId)
    {
        s.RecentRequestIds.Add(requestId);
        s.RecentJobIds.Add(jobId);
        if (s.RecentJobIds.Count > RememberedRequests)
        {
            s.RecentRequestIds.RemoveAt(0);
            s.RecentJobIds.RemoveAt(0);
        }
    }

    private static string? Validate(StartOperation request)
    {
        if (string.IsNullOrWhiteSpace(request.RequestId))
        {
            return "requestId is required";
        }

        if (request.Operation != ClusterOperationType.Unassignment)
        {
            if (string.IsNullOrWhiteSpace(request.SmartAccountDomain))
            {
                return "smartAccountDomain is required";
            }

            if (string.IsNullOrWhiteSpace(request.VirtualAccountName))
            {
                return "virtualAccountName is required";
            }
        }

        return null;
    }

    /// <summary>A refused request starts no job; a batch's already announced job fails with the reason, and its lane goes on.</summary>
    private static void Refuse(ClusterOperationState s, StartOperation request, Guid jobId, SmartLicResponseReason reason, string error, string action, Guid? runningJob, DateTimeOffset now, List<Outgoing> output)
    {
        output.Add(Reply(request, new ClusterAssignmentResp
        {
            RequestId = request.RequestId,
            ClusterName = request.ClusterName,
            Operation = request.Operation,
            JobId = request.JobAnnounced ? jobId : null,
            ResponseCode = SmartLicResponseCode.FAIL,
            ResponseReason = reason,
            ResponseDescription = error,
            RecommendedAction = action,
            RunningJobId = runningJob,
        }));
        if (request.JobAnnounced)
        {
            output.Add(new(Destination.Publish, new JobFailed
            {
                JobId = jobId,
                ErrorDescription = error,
                RecommendedAction = action,
                FailedStep = ClusterOperationSteps.Verification,
                FailedAt = now,
            }));
            ContinueBatch(request.RequestId, request.SmartAccountDomain, request.VirtualAccountName, request.RequestedBy, request.BatchRemaining, output);
        }
    }

    private static ClusterAssignmentResp RepeatAnswer(ClusterOperationState s, StartOperation request, Guid jobId)
    {
        var failed = s.JobId == jobId && s.Phase == OperationPhase.Failed;
        return new ClusterAssignmentResp
        {
            RequestId = request.RequestId,
            ClusterName = s.ClusterName,
            Operation = s.JobId == jobId ? s.Operation : request.Operation,
            JobId = jobId,
            ResponseCode = failed ? SmartLicResponseCode.FAIL : SmartLicResponseCode.PASS,
            ResponseReason = failed ? s.FailureReason ?? SmartLicResponseReason.SmartLicFailed : SmartLicResponseReason.SmartLicNoError,
            ResponseDescription = failed ? s.FailureError : $"request {request.RequestId} was received before: job {jobId}",
            RecommendedAction = failed ? s.RecommendedAction : null,
            Duplicate = true,
        };
    }

    private static Outgoing Reply(StartOperation request, ClusterAssignmentResp answer) =>
        new(Destination.Reply, new Reply(request.ReplyAddress?.ToString(), request.ReplyRequestId, answer));

    private static string Describe(ClusterOperationState s, string phase) => s.Operation switch
    {
        ClusterOperationType.Assignment => $"Assignment of Cluster {s.ClusterName} to {s.TargetVirtualAccount} {phase}",
        ClusterOperationType.Unassignment => $"UnAssignment of Cluster {s.ClusterName} {phase}",
        _ => $"ReAssignment of Cluster {s.ClusterName} to {s.TargetVirtualAccount} {phase}",
    };

    internal static Guid NewToken() => NewId.NextGuid();
}

/// <summary>A ClusterAssignmentResp and where it goes: the requester's response address, or published when null.</summary>
public sealed record Reply(string? Address, Guid? RequestId, ClusterAssignmentResp Answer);
