using HcsLicensing.ClusterAssign.Operations.Steps;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;
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

    public ClusterOperationStateMachine(IOptions<ClusterAssignOptions> options, EndpointAddresses addresses, RegistrationTokenSafe tokens, TimeProvider clock)
    {
        flow = new ClusterOperationFlow(options.Value, tokens: tokens);
        this.clock = clock;
        chpa = addresses.Queue(ChpaQueue);

        InstanceState(s => s.CurrentState);

        Event(() => Assign, e => e.CorrelateById(c => ByName(c.Message.ClusterName)));
        Event(() => Unassign, e => e.CorrelateById(c => ByName(c.Message.ClusterName)));
        Event(() => Reassign, e => e.CorrelateById(c => ByName(c.Message.ClusterName)));
        Event(() => BatchItem, e => e.CorrelateById(c => ByName(c.Message.ClusterName)));
        Answer(() => TimedOut, c => c.Message.ClusterName);
        // Restart and cancel name a job; JobTracker sends them for every owner's jobs, so ones not ours are dropped. A
        // restart also finds the cluster of one of its older jobs (RecentJobIds), which then answers that it cannot.
        Event(() => Restart, e =>
        {
            e.CorrelateBy((s, c) => s.JobId == c.Message.JobId || s.RecentJobIds.Contains(c.Message.JobId));
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
            When(TimedOut).ThenAsync(c => Run(c, () => flow.OnTimedOut(c.Saga, c.Message.WaitToken, Now))),
            When(Restart).ThenAsync(c => Run(c, () => flow.OnRestart(c.Saga, c.Message, Now))),
            When(Cancel).ThenAsync(c => Run(c, () => flow.OnCancel(c.Saga, c.Message, Now))));

        // Every answer, refusal and fault a step waits for goes to the cluster's current step.
        var router = new StepAnswers(this);
        foreach (var route in flow.Routes)
        {
            route.ConnectTo(router);
        }
    }

    /// <summary>CHPA's queue, as CHPA names it (before the deployment's endpoint prefix).</summary>
    public const string ChpaQueue = "chpa";

    public State Tracking { get; private set; } = null!;

    public Event<ClusterAssignmentRequest> Assign { get; private set; } = null!;
    public Event<ClusterUnassignmentRequest> Unassign { get; private set; } = null!;
    public Event<ClusterReassignmentRequest> Reassign { get; private set; } = null!;
    public Event<AssignClusterInBatch> BatchItem { get; private set; } = null!;
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

    /// <summary>One event per message type a step waits for, found by cluster name or by RequestId (the saga's id).</summary>
    private void RouteToStep<T>(Func<T, string>? clusterName)
        where T : class
    {
        var answer = Event<T>(EventName(typeof(T)), e =>
        {
            if (clusterName is null)
            {
                e.CorrelateById(c => c.RequestId ?? throw new InvalidOperationException($"{typeof(T).Name} without a RequestId cannot be matched to a cluster"));
            }
            else
            {
                e.CorrelateById(c => ByName(clusterName(c.Message)));
            }

            // An answer for a cluster with no row has nobody waiting for it.
            e.OnMissingInstance(m => m.Discard());
        });
        During(Tracking, When(answer).ThenAsync(c => Run(c, () => flow.OnAnswer(c.Saga, c.Message, Now))));
    }

    private static string EventName(Type message) =>
        message.IsGenericType ? $"{message.GetGenericArguments()[0].Name}{message.Name[..message.Name.IndexOf('`')]}" : message.Name;

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

    /// <summary>
    /// Applies the flow's decision and sends what it decided. The sends are rows of the transactional outbox, committed
    /// with the saga's row and sent after it: a crash in between leaves both or neither, so a redelivered message finds
    /// the row as it was and decides the same again. A job changed several times by one transition gets one event.
    /// </summary>
    private async Task Run(BehaviorContext<ClusterOperationState> context, Func<IReadOnlyList<Outgoing>> decide)
    {
        var output = OneJobEventPerTransition.Combine(decide());
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

    private sealed class StepAnswers(ClusterOperationStateMachine machine) : IAnswerRouter
    {
        public void Route<T>(Func<T, string>? clusterName)
            where T : class => machine.RouteToStep(clusterName);
    }
}
