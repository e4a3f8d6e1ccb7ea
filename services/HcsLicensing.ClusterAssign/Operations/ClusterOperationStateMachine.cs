using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>
/// The ClusterOperation saga, one instance per cluster (keyed by its name), never finalized: the row is also the
/// Cluster Summary. It only routes: each message goes to <see cref="ClusterOperationFlow"/>, which changes the row and
/// says what to send; the sends leave through the endpoint's outbox once the row is saved.
/// <para>
/// Requests to CHPA and SmartAccountSync carry this saga's id as RequestId and this queue as response and fault
/// address: CHPA's answers come back by cluster name, SmartAccountSync's by RequestId.
/// </para>
/// </summary>
public sealed class ClusterOperationStateMachine : MassTransitStateMachine<ClusterOperationState>
{
    private readonly ClusterOperationFlow flow;
    private readonly TimeProvider clock;
    private readonly Uri chpa;

    public ClusterOperationStateMachine(IOptions<ClusterAssignOptions> options, EndpointAddresses addresses, TimeProvider clock)
    {
        flow = new ClusterOperationFlow(options.Value);
        this.clock = clock;
        chpa = addresses.Queue(ChpaQueue);

        InstanceState(s => s.CurrentState);

        Event(() => Assign, e => e.CorrelateById(c => ByName(c.Message.ClusterName)));
        Event(() => Unassign, e => e.CorrelateById(c => ByName(c.Message.ClusterName)));
        Event(() => Reassign, e => e.CorrelateById(c => ByName(c.Message.ClusterName)));
        Event(() => BatchItem, e => e.CorrelateById(c => ByName(c.Message.ClusterName)));
        Answer(() => Verified, c => c.Message.ClusterName);
        Answer(() => LicenseModeChanged, c => c.Message.ClusterName);
        Answer(() => TransportRead, c => c.Message.ClusterName);
        Answer(() => TransportSet, c => c.Message.ClusterName);
        Answer(() => Deregistered, c => c.Message.ClusterName);
        Answer(() => Registered, c => c.Message.ClusterName);
        Answer(() => TimedOut, c => c.Message.ClusterName);
        Answer(() => VerifyFaulted, c => c.Message.Message.ClusterName);
        Answer(() => LicenseModeFaulted, c => c.Message.Message.ClusterName);
        Answer(() => TransportReadFaulted, c => c.Message.Message.ClusterName);
        Answer(() => TransportSetFaulted, c => c.Message.Message.ClusterName);
        Answer(() => DeregisterFaulted, c => c.Message.Message.ClusterName);
        Answer(() => RegisterFaulted, c => c.Message.Message.ClusterName);
        ByRequestId(() => TokenIssued);
        ByRequestId(() => TokenRefused);
        ByRequestId(() => TokenFaulted);
        // Restart and cancel name a job; JobTracker sends them for every owner's jobs, so ones not ours are dropped.
        Event(() => Restart, e =>
        {
            e.CorrelateBy(s => s.JobId, c => c.Message.JobId);
            e.OnMissingInstance(m => m.Discard());
        });
        Event(() => Cancel, e =>
        {
            e.CorrelateBy(s => s.JobId, c => c.Message.JobId);
            e.OnMissingInstance(m => m.Discard());
        });

        Initially(Requests(Tracking));
        During(Tracking, Requests(Tracking));
        During(Tracking,
            When(TokenIssued).ThenAsync(c => Run(c, () => flow.OnTokenIssued(c.Saga, c.Message, Now))),
            When(TokenRefused).ThenAsync(c => Run(c, () => flow.OnTokenRefused(c.Saga, c.Message, Now))),
            When(Verified).ThenAsync(c => Run(c, () => flow.OnVerified(c.Saga, c.Message, Now))),
            When(LicenseModeChanged).ThenAsync(c => Run(c, () => flow.OnLicenseModeChanged(c.Saga, c.Message, Now))),
            When(TransportRead).ThenAsync(c => Run(c, () => flow.OnTransportRead(c.Saga, c.Message, Now))),
            When(TransportSet).ThenAsync(c => Run(c, () => flow.OnTransportSet(c.Saga, c.Message, Now))),
            When(Deregistered).ThenAsync(c => Run(c, () => flow.OnDeregistered(c.Saga, c.Message, Now))),
            When(Registered).ThenAsync(c => Run(c, () => flow.OnRegistered(c.Saga, c.Message, Now))),
            When(TimedOut).ThenAsync(c => Run(c, () => flow.OnTimedOut(c.Saga, c.Message.WaitToken, Now))),
            When(Restart).ThenAsync(c => Run(c, () => flow.OnRestart(c.Saga, c.Message, Now))),
            When(Cancel).ThenAsync(c => Run(c, () => flow.OnCancel(c.Saga, c.Message, Now))),
            When(TokenFaulted).ThenAsync(c => Run(c, () => flow.OnFaulted(c.Saga, c.Saga.Phase is OperationPhase.FetchingToken ? OperationPhase.FetchingToken : OperationPhase.VerifyingVirtualAccount, null, Error(c.Message), Now))),
            When(VerifyFaulted).ThenAsync(c => Run(c, () => flow.OnFaulted(c.Saga, OperationPhase.VerifyingCluster, c.Message.Message.SessionId, Error(c.Message), Now))),
            When(LicenseModeFaulted).ThenAsync(c => Run(c, () => flow.OnFaulted(c.Saga, OperationPhase.ChangingLicenseMode, c.Message.Message.SessionId, Error(c.Message), Now))),
            When(TransportReadFaulted).ThenAsync(c => Run(c, () => flow.OnFaulted(c.Saga, OperationPhase.ReadingTransport, c.Message.Message.SessionId, Error(c.Message), Now))),
            When(TransportSetFaulted).ThenAsync(c => Run(c, () => flow.OnFaulted(c.Saga, OperationPhase.SettingTransport, c.Message.Message.SessionId, Error(c.Message), Now))),
            When(DeregisterFaulted).ThenAsync(c => Run(c, () => flow.OnFaulted(c.Saga, OperationPhase.Deregistering, c.Message.Message.SessionId, Error(c.Message), Now))),
            When(RegisterFaulted).ThenAsync(c => Run(c, () => flow.OnFaulted(c.Saga, OperationPhase.Registering, c.Message.Message.SessionId, Error(c.Message), Now))));
    }

    /// <summary>CHPA's queue, as CHPA names it (before the deployment's endpoint prefix).</summary>
    public const string ChpaQueue = "chpa";

    public State Tracking { get; private set; } = null!;

    public Event<ClusterAssignmentRequest> Assign { get; private set; } = null!;
    public Event<ClusterUnassignmentRequest> Unassign { get; private set; } = null!;
    public Event<ClusterReassignmentRequest> Reassign { get; private set; } = null!;
    public Event<AssignClusterInBatch> BatchItem { get; private set; } = null!;
    public Event<RegistrationTokenIssued> TokenIssued { get; private set; } = null!;
    public Event<RegistrationTokenRefused> TokenRefused { get; private set; } = null!;
    public Event<Fault<GetRegistrationTokenRequest>> TokenFaulted { get; private set; } = null!;
    public Event<VerifyClusterResponse> Verified { get; private set; } = null!;
    public Event<ChangeLicenseModeResponse> LicenseModeChanged { get; private set; } = null!;
    public Event<GetTransportSettingsResponse> TransportRead { get; private set; } = null!;
    public Event<SetTransportSettingsResponse> TransportSet { get; private set; } = null!;
    public Event<DeregisterClusterResponse> Deregistered { get; private set; } = null!;
    public Event<RegisterClusterResponse> Registered { get; private set; } = null!;
    public Event<Fault<VerifyClusterRequest>> VerifyFaulted { get; private set; } = null!;
    public Event<Fault<ChangeLicenseModeRequest>> LicenseModeFaulted { get; private set; } = null!;
    public Event<Fault<GetTransportSettingsRequest>> TransportReadFaulted { get; private set; } = null!;
    public Event<Fault<SetTransportSettingsRequest>> TransportSetFaulted { get; private set; } = null!;
    public Event<Fault<DeregisterClusterRequest>> DeregisterFaulted { get; private set; } = null!;
    public Event<Fault<RegisterClusterRequest>> RegisterFaulted { get; private set; } = null!;
    public Event<StepTimedOut> TimedOut { get; private set; } = null!;
    public Event<JobRestartRequested> Restart { get; private set; } = null!;
    public Event<JobCancelRequested> Cancel { get; private set; } = null!;

    private DateTimeOffset Now => clock.GetUtcNow();

    private EventActivities<ClusterOperationState>[] Requests(State next) =>
    [
        When(Assign).ThenAsync(c => Run(c, () => flow.Start(c.Saga, WithReply(StartOperation.From(c.Message), c), Now))).TransitionTo(next),
        When(Unassign).ThenAsync(c => Run(c, () => flow.Start(c.Saga, WithReply(StartOperation.From(c.Message), c), Now))).TransitionTo(next),
        When(Reassign).ThenAsync(c => Run(c, () => flow.Start(c.Saga, WithReply(StartOperation.From(c.Message), c), Now))).TransitionTo(next),
        When(BatchItem).ThenAsync(c => Run(c, () => flow.Start(c.Saga, FromBatch(c.Message), Now))).TransitionTo(next),
    ];

    private void Answer<T>(System.Linq.Expressions.Expression<Func<Event<T>>> property, Func<ConsumeContext<T>, string> clusterName)
        where T : class =>
        Event(property, e =>
        {
            e.CorrelateById(c => ByName(clusterName(c)));
            // An answer for a cluster with no row has nobody waiting for it.
            e.OnMissingInstance(m => m.Discard());
        });

    private void ByRequestId<T>(System.Linq.Expressions.Expression<Func<Event<T>>> property)
        where T : class =>
        Event(property, e =>
        {
            e.CorrelateById(c => c.RequestId ?? throw new InvalidOperationException($"{typeof(T).Name} without a RequestId cannot be matched to a cluster"));
            e.OnMissingInstance(m => m.Discard());
        });

    private static Guid ByName(string? clusterName) =>
        string.IsNullOrWhiteSpace(clusterName)
            ? throw new InvalidOperationException("clusterName is required")
            : ClusterKeys.ForCluster(clusterName);

    private static StartOperation WithReply(StartOperation start, ConsumeContext context) =>
        start with { ReplyAddress = context.ResponseAddress, ReplyRequestId = context.RequestId };

    private static StartOperation FromBatch(AssignClusterInBatch item) => new()
    {
        Operation = ClusterOperationType.Assignment,
        RequestId = item.RequestId,
        ClusterName = item.ClusterName,
        SmartAccountDomain = item.SmartAccountDomain,
        VirtualAccountName = item.VirtualAccountName,
        RequestedBy = item.RequestedBy,
        BatchRemaining = item.Remaining,
        JobAnnounced = true,
    };

    private static string Error<T>(Fault<T> fault) =>
        string.Join("; ", fault.Exceptions.Select(e => $"{e.ExceptionType}: {e.Message}"));

    /// <summary>
    /// Applies the flow's decision and sends what it decided. The sends are rows of the transactional outbox, committed
    /// with the saga's row and sent after it: a crash in between leaves both or neither, so a redelivered message finds
    /// the row as it was and decides the same again.
    /// </summary>
    private async Task Run(BehaviorContext<ClusterOperationState> context, Func<IReadOnlyList<Outgoing>> decide)
    {
        var output = decide();
        var self = context.ReceiveContext.InputAddress;
        foreach (var outgoing in output)
        {
            switch (outgoing.To)
            {
                case Destination.Chpa:
                    var endpoint = await context.GetSendEndpoint(chpa);
                    await endpoint.Send(outgoing.Message, send => AnswerToMe(send, context.Saga.CorrelationId, self), context.CancellationToken);
                    break;
                case Destination.SmartAccountSync:
                    await context.Publish(outgoing.Message, send => AnswerToMe(send, context.Saga.CorrelationId, self), context.CancellationToken);
                    break;
                case Destination.Reply when outgoing.Message is Reply { Address: { } address } reply:
                    var requester = await context.GetSendEndpoint(new Uri(address));
                    await requester.Send(reply.Answer, send => send.RequestId = reply.RequestId, context.CancellationToken);
                    break;
                case Destination.Reply:
                    await context.Publish(((Reply)outgoing.Message).Answer, context.CancellationToken);
                    break;
                case Destination.Self:
                    var me = await context.GetSendEndpoint(self);
                    await me.Send(outgoing.Message, context.CancellationToken);
                    break;
                default:
                    await context.Publish(outgoing.Message, context.CancellationToken);
                    break;
            }
        }
    }

    private static void AnswerToMe(SendContext send, Guid sagaId, Uri self)
    {
        send.RequestId = sagaId;
        send.ResponseAddress = self;
        send.FaultAddress = self;
    }
}
