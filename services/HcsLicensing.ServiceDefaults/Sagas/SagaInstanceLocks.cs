namespace HcsLicensing.ServiceDefaults.Sagas;

/// <summary>
/// Lets one message at a time, per service instance, work on a given saga instance: messages for the same job
/// that arrive together then queue in memory instead of colliding on xmin and burning retries. Across service
/// instances nothing is locked; there the optimistic check on xmin and the endpoint's retry settle conflicts.
/// Striped (a fixed set of semaphores chosen by the instance id's hash) so memory stays flat however many
/// instances are in flight; two instances sharing a stripe merely wait for each other. A singleton of the
/// host, not a static: two hosts in one process behave as two replicas.
/// </summary>
public sealed class SagaInstanceLocks<TSaga>
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 1024).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>A handle for one message: it takes the instance's stripe when the message first loads it.</summary>
    internal SagaInstanceLock ForMessage() => new(this);

    internal SemaphoreSlim StripeOf(Guid correlationId) => _stripes[(correlationId.GetHashCode() & int.MaxValue) % _stripes.Length];

    internal sealed class SagaInstanceLock(SagaInstanceLocks<TSaga> locks) : IDisposable
    {
        private SemaphoreSlim? _held;

        /// <summary>Takes the instance's stripe, once per message; later calls (Insert then Load) keep the one held.</summary>
        public async Task AcquireAsync(Guid correlationId, CancellationToken cancellationToken)
        {
            if (_held is not null)
            {
                return;
            }

            var stripe = locks.StripeOf(correlationId);
            await stripe.WaitAsync(cancellationToken);
            _held = stripe;
        }

        public void Dispose()
        {
            _held?.Release();
            _held = null;
        }
    }
}
