namespace HcsLicensing.CssmSimulator.State;

/// <summary>
/// Everything CSSM holds: smart accounts, their virtual accounts and licenses, registration tokens and the product
/// instances registered with them. One lock guards it all: calls are short and the simulator serves tests, so
/// simplicity beats concurrency here. Its parts live in the partial files beside this one.
/// </summary>
public sealed partial class CssmStore(SimulatedClock clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SimSmartAccount> _accounts = new(StringComparer.OrdinalIgnoreCase);

    public SimulatedClock Clock { get; } = clock;

    public SimSmartAccount AddSmartAccount(string domain, string name, string accountType)
    {
        lock (_gate)
        {
            var account = new SimSmartAccount(_accounts.Count + 1, domain, name, accountType.ToUpperInvariant());
            _accounts.Add(domain, account);
            return account;
        }
    }

    public SimSmartAccount? FindAccount(string domain)
    {
        lock (_gate)
        {
            return _accounts.GetValueOrDefault(domain);
        }
    }

    public IReadOnlyList<SimSmartAccount> Accounts()
    {
        lock (_gate)
        {
            return [.. _accounts.Values.OrderBy(a => a.Id)];
        }
    }

    /// <summary>A copy of the account's virtual accounts in creation order (the caller may serialize it at leisure).</summary>
    public IReadOnlyList<SimVirtualAccount>? VirtualAccounts(string domain)
    {
        lock (_gate)
        {
            return _accounts.TryGetValue(domain, out var account) ? [.. account.Ordered] : null;
        }
    }

    public SimVirtualAccount? FindVirtualAccount(string domain, string name)
    {
        lock (_gate)
        {
            return _accounts.TryGetValue(domain, out var account) ? account.VirtualAccounts.GetValueOrDefault(name) : null;
        }
    }

    /// <summary>Adds a virtual account; false when the name is taken or the account unknown.</summary>
    public bool AddVirtualAccount(string domain, SimVirtualAccount virtualAccount)
    {
        lock (_gate)
        {
            if (!_accounts.TryGetValue(domain, out var account) || !account.VirtualAccounts.TryAdd(virtualAccount.Name, virtualAccount))
            {
                return false;
            }

            account.Ordered.Add(virtualAccount);
            return true;
        }
    }

    /// <summary>Removes a virtual account (as an admin deleting it in CSSM would); false when there is none.</summary>
    public bool RemoveVirtualAccount(string domain, string name)
    {
        lock (_gate)
        {
            if (!_accounts.TryGetValue(domain, out var account) || !account.VirtualAccounts.Remove(name, out var removed))
            {
                return false;
            }

            account.Ordered.Remove(removed);
            return true;
        }
    }
}
