namespace HcsLicensing.Chpa.Registration;

/// <summary>How CHPA waits for a registering publisher ("Registration" section).</summary>
public sealed class RegistrationOptions
{
    public const string Section = "Registration";

    /// <summary>Time between two status reads while the publisher restarts.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after the register CHPA answers chpaTimedOut if the registration has not finished.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often <see cref="RegistrationWaitSweeper"/> looks for waits whose polls stopped (a poll that kept failing
    /// went to the error queue) and answers them chpaTimedOut, so that no requester waits forever.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
