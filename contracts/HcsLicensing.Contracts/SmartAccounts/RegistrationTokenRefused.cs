namespace HcsLicensing.Contracts.SmartAccounts;

/// <summary>No registration token can be given for the virtual account, and why.</summary>
public sealed record RegistrationTokenRefused
{
    /// <summary>The smart account's domain, as asked.</summary>
    public required string SmartAccountDomain { get; init; }

    /// <summary>The virtual account's name, as asked.</summary>
    public required string VirtualAccountName { get; init; }

    /// <summary>The reason, for the requester to act on.</summary>
    public required RegistrationTokenRefusalReason Reason { get; init; }

    /// <summary>The reason in words an operator understands.</summary>
    public required string Detail { get; init; }
}
