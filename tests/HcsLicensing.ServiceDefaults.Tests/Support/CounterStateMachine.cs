using MassTransit;

namespace HcsLicensing.ServiceDefaults.Tests.Support;

public sealed record CounterIncremented(Guid CounterId);

/// <summary>Changes the counter, publishes, then throws: nothing of it may survive.</summary>
public sealed record CounterSabotaged(Guid CounterId);

public sealed record CounterSabotagePublished(Guid CounterId);

public sealed record CounterTimerStarted(Guid CounterId, int Seconds);

public sealed record CounterTimerElapsed(Guid CounterId);

public sealed record CounterCheckRequested(Guid CounterId);

public sealed record CounterCheckAnswered(Guid CounterId);

public sealed class CounterState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public int Count { get; set; }

    public Guid? TimerToken { get; set; }

    public Guid? CheckRequestId { get; set; }

    public DateTime? TimerElapsedAt { get; set; }

    public DateTime? CheckTimedOutAt { get; set; }
}

/// <summary>A saga exercising what the suite's sagas rely on: creation races, updates, outbox, Schedule and Request timeouts.</summary>
public sealed class CounterStateMachine : MassTransitStateMachine<CounterState>
{
    public CounterStateMachine()
    {
        InstanceState(counter => counter.CurrentState);
        Event(() => Incremented, e => e.CorrelateById(m => m.Message.CounterId));
        Event(() => Sabotaged, e => e.CorrelateById(m => m.Message.CounterId));
        Event(() => TimerStarted, e => e.CorrelateById(m => m.Message.CounterId));
        Schedule(() => Timer, counter => counter.TimerToken, schedule => schedule.Received = e => e.CorrelateById(m => m.Message.CounterId));
        Request(() => Check, counter => counter.CheckRequestId, request =>
        {
            request.Timeout = TimeSpan.FromSeconds(2);
            // Nobody serves this queue: the request can only end by its timeout.
            request.ServiceAddress = new Uri("queue:nobody-answers-counter-checks");
        });

        Initially(
            When(Incremented).Then(c => c.Saga.Count++).TransitionTo(Counting),
            When(TimerStarted).Schedule(Timer, c => new CounterTimerElapsed(c.Saga.CorrelationId), c => TimeSpan.FromSeconds(c.Message.Seconds)).TransitionTo(Waiting));

        During(
            Counting,
            When(Incremented).Then(c => c.Saga.Count++),
            When(Sabotaged)
                .Then(c => c.Saga.Count += 1000)
                .Publish(c => new CounterSabotagePublished(c.Saga.CorrelationId))
                .Then(_ => throw new InvalidOperationException("sabotage after publish")));

        During(
            Waiting,
            When(Timer.Received)
                .Then(c => c.Saga.TimerElapsedAt = DateTime.UtcNow)
                .Request(Check, c => new CounterCheckRequested(c.Saga.CorrelationId))
                .TransitionTo(Checking));

        During(
            Checking,
            When(Check.TimeoutExpired).Then(c => c.Saga.CheckTimedOutAt = DateTime.UtcNow).TransitionTo(TimedOut));
    }

    public State Counting { get; private set; } = null!;

    public State Waiting { get; private set; } = null!;

    public State Checking { get; private set; } = null!;

    public State TimedOut { get; private set; } = null!;

    public Event<CounterIncremented> Incremented { get; private set; } = null!;

    public Event<CounterSabotaged> Sabotaged { get; private set; } = null!;

    public Event<CounterTimerStarted> TimerStarted { get; private set; } = null!;

    public Schedule<CounterState, CounterTimerElapsed> Timer { get; private set; } = null!;

    public Request<CounterState, CounterCheckRequested, CounterCheckAnswered> Check { get; private set; } = null!;
}
