namespace HcsLicensing.ServiceDefaults.Sagas;

/// <summary>
/// Lets one message at a time, per process, work on a given saga instance: messages for the same job that
/// arrive together then queue in memory instead of colliding on xmin and burning retries. Across processes
/// nothing is locked; there the optimistic check on xmin and the endpoint's retry settle conflicts.
/// Striped (a fixed set of semaphores chosen by the instance id's hash) so memory stays flat however many
/// instances are in flight; two instances sharing a stripe merely wait for each other.
/// </summary>
internal sealed class SagaInstanceLock<TSaga> : IDisposable
{
    private static readonly SemaphoreSlim[] Stripes = Enumerable.Range(0, 1024).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private SemaphoreSlim? _held;

    /// <summary>Takes the instance's stripe, once per message; later calls (Insert then Load) keep the one held.</summary>
    public async Task AcquireAsync(Guid correlationId, CancellationToken cancellationToken)
    {
        if (_held is not null)
        {
            return;
        }

        var stripe = Stripes[(correlationId.GetHashCode() & int.MaxValue) % Stripes.Length];
        await stripe.WaitAsync(cancellationToken);
        _held = stripe;
    }

    public void Dispose()
    {
        _held?.Release();
        _held = null;
    }
}
