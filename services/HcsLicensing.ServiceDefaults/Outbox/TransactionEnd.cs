namespace HcsLicensing.ServiceDefaults.Outbox;

/// <summary>
/// The end of the message's transaction, for what must wait for it rather than for the code that asked to return:
/// the saga repository's per-instance lock (held until the commit, so that the next message for the same saga reads
/// this one's changes instead of colliding with them) and effects outside the database that must follow the commit
/// only (JobTracker's job metrics, so that a message retried after a conflict does not count twice). Scoped to the
/// message; driven by the outbox's factory.
/// </summary>
public sealed class TransactionEnd : IDisposable
{
    private readonly List<IDisposable> held = [];
    private readonly List<Action> afterCommit = [];

    /// <summary>True while the outbox's transaction for this message is open.</summary>
    public bool IsOpen { get; private set; }

    public void Begin() => IsOpen = true;

    public void HoldUntilEnd(IDisposable resource)
    {
        lock (held)
        {
            held.Add(resource);
        }
    }

    /// <summary>Runs <paramref name="action"/> once the transaction has committed; never if it rolls back.</summary>
    public void AfterCommit(Action action)
    {
        lock (afterCommit)
        {
            afterCommit.Add(action);
        }
    }

    /// <summary>The transaction committed: releases what was held, then runs what waited for the commit.</summary>
    public void Committed()
    {
        List<Action> actions;
        lock (afterCommit)
        {
            actions = [.. afterCommit];
            afterCommit.Clear();
        }

        Release();
        actions.ForEach(action => action());
    }

    /// <summary>The transaction ended (committed or not): releases what was held and forgets what waited for a commit.</summary>
    public void Release()
    {
        IsOpen = false;
        lock (held)
        {
            foreach (var resource in held)
            {
                resource.Dispose();
            }

            held.Clear();
        }

        lock (afterCommit)
        {
            afterCommit.Clear();
        }
    }

    public void Dispose() => Release();
}
